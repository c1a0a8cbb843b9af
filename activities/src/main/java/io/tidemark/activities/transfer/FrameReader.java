package io.tidemark.activities.transfer;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import io.tidemark.activities.repository.Repository;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.CRC32C;

/**
 * Reads a stored file back: one ranged read of its frame, decoded, with size and CRC-32C checked
 * against the file list as the bytes pass. A file is never handed on unverified.
 */
public final class FrameReader {

  private FrameReader() {}

  /**
   * Copies the file's bytes to {@code out}.
   *
   * @throws CorruptFileException if the object does not hold exactly the bytes the list records
   */
  public static void copy(Repository repo, String nodePrefix, StoredFile file, OutputStream out) throws IOException {
    String key = nodePrefix + file.pack();
    CRC32C crc = new CRC32C();
    long total = 0;
    try (InputStream frame = repo.read(key, file.offset(), file.length());
        InputStream in = Codec.of(file.codec()) == Codec.ZSTD ? new ZstdInputStreamNoFinalizer(frame) : frame) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        crc.update(buffer, 0, n);
        out.write(buffer, 0, n);
        total += n;
      }
    } catch (com.github.luben.zstd.ZstdIOException e) {
      throw new CorruptFileException(file, key, "its frame does not decode (" + e.getMessage() + ")");
    }
    if (total != file.size()) {
      throw new CorruptFileException(file, key, "it holds " + total + " bytes, the list says " + file.size());
    }
    String actual = Checksums.hex(crc);
    if (!actual.equals(file.checksum())) {
      throw new CorruptFileException(file, key, "its CRC-32C is " + actual + ", the list says " + file.checksum());
    }
  }

  /** The file's bytes, for small files and tests. */
  public static byte[] read(Repository repo, String nodePrefix, StoredFile file) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
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
