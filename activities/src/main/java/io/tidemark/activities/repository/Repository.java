package io.tidemark.activities.repository;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Where backups and WAL live: an S3 bucket or a local directory. Keys are relative to the
 * repository's root and use '/' as separator. The interface is deliberately small; everything
 * Tidemark stores is built from these few operations.
 */
public interface Repository extends Closeable {

  /**
   * Starts a new object. Nothing is visible under {@code key} until {@link ObjectWriter#commit()};
   * an existing object is replaced then.
   *
   * @param sizeHint the expected size, or -1: lets large objects choose parts so that none needs
   *     more than S3's 10,000
   */
  ObjectWriter create(String key, long sizeHint) throws IOException;

  /**
   * Like {@link #create}, but {@link ObjectWriter#commit()} fails with
   * {@link ObjectExistsException} if the key exists, atomically: of two racing writers exactly one
   * wins.
   */
  ObjectWriter createIfAbsent(String key, long sizeHint) throws IOException;

  /** @throws NoSuchObjectException if there is no such object */
  InputStream read(String key) throws IOException;

  /** Bytes {@code offset} to {@code offset + length - 1}. */
  InputStream read(String key, long offset, long length) throws IOException;

  /** The last {@code length} bytes (or the whole object, if it is shorter). */
  InputStream readTail(String key, long length) throws IOException;

  /** The object's size, or empty if there is no such object. */
  OptionalLong size(String key) throws IOException;

  /**
   * One level under {@code prefix} (which ends with '/'), in key order: objects, and folders for
   * keys that continue past another '/'. Only keys after {@code startAfter} (a full key, or null).
   * The stream pages lazily; close it.
   */
  Stream<Listing> list(String prefix, String startAfter) throws IOException;

  default Stream<Listing> list(String prefix) throws IOException {
    return list(prefix, null);
  }

  /** Deletes the object; no error if it does not exist. */
  void delete(String key) throws IOException;

  /** Deletes the objects (at most {@link #DELETE_BATCH}); those that do not exist are no error. */
  default void delete(java.util.List<String> keys) throws IOException {
    for (String key : keys) {
      delete(key);
    }
  }

  /** The most keys one {@link #delete(java.util.List)} takes: S3's DeleteObjects limit. */
  int DELETE_BATCH = 1000;

  /** For messages: {@code s3://bucket/prefix} or the directory. */
  String describe();

  default void put(String key, byte[] bytes) throws IOException {
    try (ObjectWriter w = create(key, bytes.length)) {
      w.write(bytes);
      w.commit();
    }
  }

  default byte[] readAllBytes(String key) throws IOException {
    try (InputStream in = read(key)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toByteArray();
    }
  }

  default boolean exists(String key) throws IOException {
    return size(key).isPresent();
  }

  /** True if anything at all is stored under {@code prefix}. */
  default boolean hasAny(String prefix) throws IOException {
    try (Stream<Listing> s = list(prefix)) {
      return s.findAny().isPresent();
    }
  }
}
