package io.tidemark.workers.it;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/** Every regular file of a directory tree with its size, mtime and CRC-32C, at one moment. */
record DirectorySnapshot(Map<String, Entry> files) {

  record Entry(long size, long mtime, String crc) {}

  static DirectorySnapshot of(Path root) throws IOException {
    Map<String, Entry> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (!Files.isRegularFile(p)) {
          continue;
        }
        try {
          long size = Files.size(p);
          long mtime = Files.getLastModifiedTime(p).toMillis();
          files.put(root.relativize(p).toString(), new Entry(size, mtime, crc(p)));
        } catch (NoSuchFileException gone) {
          // a file the server removed while we looked
        }
      }
    }
    return new DirectorySnapshot(files);
  }

  static String crc(Path p) throws IOException {
    CRC32C crc = new CRC32C();
    try (InputStream in = Files.newInputStream(p)) {
      byte[] b = new byte[1 << 16];
      for (int n; (n = in.read(b)) > 0; ) {
        crc.update(b, 0, n);
      }
    }
    return String.format("%08x", crc.getValue());
  }
}
