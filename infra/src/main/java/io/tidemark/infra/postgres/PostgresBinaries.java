package io.tidemark.infra.postgres;

import io.tidemark.infra.LocalArtifacts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * PostgreSQL server binaries (initdb, pg_ctl, postgres) for every supported major version, from
 * the io.zonky.test.postgres binaries jars the build copies into place, or from the system's own
 * installation. A jar is unpacked once into /tmp, world-readable so that an unprivileged user can
 * run it, and reused by every later instance and process.
 */
public final class PostgresBinaries {

  public static final List<Integer> MAJORS = List.of(13, 14, 15, 16, 17, 18);
  private static final Path CACHE = Path.of("/tmp", "tidemark-pg-bin");

  private PostgresBinaries() {}

  /** The system's binaries of this major version (Debian's layout), if installed. */
  public static Optional<Path> system(int major) {
    Path bin = Path.of("/usr/lib/postgresql", String.valueOf(major), "bin");
    return Files.isExecutable(bin.resolve("pg_ctl")) ? Optional.of(bin) : Optional.empty();
  }

  /** The major version of the binaries in a bin directory. */
  public static int majorOf(Path bin) throws IOException, InterruptedException {
    return io.tidemark.activities.postgres.PgBinaries.major(bin);
  }

  /** The bin directory of the bundled binaries of a major version, unpacked on first use. */
  public static synchronized Path bundled(int major) throws IOException, InterruptedException {
    if (!MAJORS.contains(major)) {
      throw new IllegalArgumentException("no bundled PostgreSQL " + major + "; bundled majors: " + MAJORS);
    }
    Path jar = LocalArtifacts.file("postgresql-" + major + ".jar");
    Path target = CACHE.resolve(major + "-" + Files.size(jar));
    if (Files.isExecutable(target.resolve("bin/postgres"))) {
      return target.resolve("bin");
    }
    Files.createDirectories(CACHE);
    CACHE.toFile().setReadable(true, false);
    CACHE.toFile().setExecutable(true, false);
    Path temp = CACHE.resolve(".unpack-" + UUID.randomUUID());
    Files.createDirectory(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    unpack(jar, temp);
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException raced) {
      deleteTree(temp); // another process unpacked it first
    } catch (IOException e) {
      if (!Files.isDirectory(target)) {
        throw e;
      }
      deleteTree(temp);
    }
    return target.resolve("bin");
  }

  private static void unpack(Path jar, Path into) throws IOException, InterruptedException {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      ZipEntry txz = zip.stream().filter(e -> e.getName().endsWith(".txz")).findFirst()
          .orElseThrow(() -> new IOException(jar + " holds no .txz archive"));
      Process tar = new ProcessBuilder("tar", "--no-same-owner", "-xJf", "-", "-C", into.toString())
          .redirectErrorStream(true).start();
      try (InputStream in = zip.getInputStream(txz); OutputStream out = tar.getOutputStream()) {
        in.transferTo(out);
      }
      String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!tar.waitFor(120, TimeUnit.SECONDS) || tar.exitValue() != 0) {
        throw new IOException("unpacking " + jar + " failed: " + output);
      }
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (var paths = Files.walk(dir)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
