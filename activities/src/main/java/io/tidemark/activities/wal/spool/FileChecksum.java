package io.tidemark.activities.wal.spool;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Size and POSIX cksum of a file as it is on disk now. */
public record FileChecksum(long size, long cksum) {

  public static FileChecksum of(Path file) throws IOException {
    PosixCksum sum = new PosixCksum();
    byte[] buf = new byte[1 << 16];
    long size = 0;
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        sum.update(buf, 0, n);
        size += n;
      }
    }
    return new FileChecksum(size, sum.value());
  }

  public boolean matches(SpoolEntry entry) {
    return size == entry.size() && cksum == entry.cksum();
  }
}
