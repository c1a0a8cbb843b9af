package io.tidemark.workers.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Directory chores: sizes, file lists, fresh empty directories, removal. */
final class Dirs {

  private Dirs() {}

  /** Every regular file under {@code dir}, pg_wal's contents left out: what "data directory size" means here. */
  static List<Path> dataFiles(Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    Path wal = dir.resolve("pg_wal");
    try (Stream<Path> all = Files.walk(dir)) {
      all.filter(p -> !p.startsWith(wal) && Files.isRegularFile(p)).forEach(files::add);
    }
    return files;
  }

  static long dataBytes(Path dir) throws IOException {
    long total = 0;
    for (Path p : dataFiles(dir)) {
      total += Files.size(p);
    }
    return total;
  }

  /** Every regular file's size under {@code dir}, or 0 if it does not exist. */
  static long bytes(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  /** A new empty directory, mode 0700 (PostgreSQL insists on it for a data directory). */
  static Path fresh(Path dir) throws IOException {
    remove(dir);
    Files.createDirectories(dir.getParent());
    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    return dir;
  }

  static void remove(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
