package io.tidemark.activities.wal.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/** Size and CRC-32C of a file as it is on disk now. */
public record FileChecksum(long size, int crc32c) {

  public static FileChecksum of(Path file) throws IOException {
    CRC32C crc = new CRC32C();
    ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
    long size = 0;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      int n;
      while ((n = ch.read(buf)) >= 0) {
        buf.flip();
        crc.update(buf);
        buf.clear();
        size += n;
      }
    }
    return new FileChecksum(size, (int) crc.getValue());
  }

  public boolean matches(SpoolEntry entry) {
    return size == entry.size() && crc32c == entry.crc32c();
  }
}
