package io.tidemark.activities.transfer;

import io.tidemark.activities.repository.Repository;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;

/**
 * Reads a stored file back: one ranged read of its frame, decoded by a {@link FrameDecoder}, with
 * size and CRC-32C checked against the file list as the bytes pass. A file is never handed on
 * unverified.
 */
public final class FrameReader {

  /** Buffers of a one-off decoder: files read back one by one, not written at speed. */
  private static final int ONE_OFF_BUFFER = 64 << 10;

  private FrameReader() {}

  /**
   * Copies the file's bytes to {@code out}.
   *
   * @throws CorruptFileException if the object does not hold exactly the bytes the list records
   */
  public static void copy(Repository repo, String nodePrefix, StoredFile file, OutputStream out) throws IOException {
    try (FrameDecoder decoder = new FrameDecoder(ONE_OFF_BUFFER)) {
      copy(repo, nodePrefix, file, out, decoder);
    }
  }

  /** As {@link #copy(Repository, String, StoredFile, OutputStream)}, with the caller's decoder. */
  public static void copy(Repository repo, String nodePrefix, StoredFile file, OutputStream out, FrameDecoder decoder)
      throws IOException {
    String key = nodePrefix + file.pack();
    try (InputStream frame = repo.read(key, file.offset(), file.length())) {
      decoder.decode(frame, file, key, Channels.newChannel(out));
    }
  }

  /** The file's bytes, for small files and tests. */
  public static byte[] read(Repository repo, String nodePrefix, StoredFile file) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    copy(repo, nodePrefix, file, out);
    return out.toByteArray();
  }

  /** A stored file whose bytes are not what was stored. */
  public static final class CorruptFileException extends IOException {
    public CorruptFileException(StoredFile file, String key, String why) {
      super("stored copy of " + file.path() + " (object " + key + ", offset " + file.offset() + ") is damaged: " + why);
    }
  }
}
