package io.tidemark.activities.wal.spool;

import io.tidemark.activities.config.WalSettings;
import io.tidemark.activities.files.ExclusionRules;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A directory where wal-fetch keeps segments fetched ahead, or wal-push keeps marks of segments
 * archived ahead. It is keyed by cluster, node and database system identifier
 * ({@code <root>/<kind>/<cluster>/<node>/<system>}), so a spool left by another restore, another
 * node or a re-initdb'ed server is never read. Entries appear only by rename, complete, and carry
 * their size and checksum in their names ({@link SpoolEntry}).
 */
public final class WalSpool {

  /** The spool's default place: inside pg_wal, whose contents no backup copies. */
  public static final String DEFAULT_DIRECTORY = ExclusionRules.WAL_SPOOL;
  public static final String FETCH = "fetch";
  public static final String PUSH = "push";

  private static final String LOG = "activity.log";
  private static final String LAUNCHER = "launcher";
  private static final long LOG_LIMIT = 1 << 20;
  /** A temporary file this old was left by a killed process (a call takes seconds at most). */
  private static final Duration ABANDONED = Duration.ofMinutes(10);

  private final Path directory;

  private WalSpool(Path directory) {
    this.directory = directory;
  }

  /** The spool's root for a data directory: the configured spoolPath, else pg_wal/tidemark-spool. */
  public static Path root(WalSettings settings, Path dataDirectory) {
    return settings.spoolPath() != null ? Path.of(settings.spoolPath())
        : dataDirectory.resolve("pg_wal").resolve(DEFAULT_DIRECTORY);
  }

  public static WalSpool open(Path root, String kind, String cluster, String node, String systemIdentifier)
      throws IOException {
    Path dir = directory(root, kind, cluster, node, systemIdentifier);
    Files.createDirectories(dir);
    return new WalSpool(dir);
  }

  /** Where {@link #open} keeps that spool, without creating it. */
  public static Path directory(Path root, String kind, String cluster, String node, String systemIdentifier) {
    return root.resolve(kind).resolve(cluster).resolve(node).resolve(systemIdentifier);
  }

  public Path directory() {
    return directory;
  }

  /** Every complete entry. */
  public List<SpoolEntry> entries() throws IOException {
    List<SpoolEntry> found = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
      for (Path f : files) {
        SpoolEntry.parse(f.getFileName().toString()).ifPresent(found::add);
      }
    }
    return found;
  }

  public Optional<SpoolEntry> find(String walName) throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, glob(walName))) {
      for (Path f : files) {
        Optional<SpoolEntry> e = SpoolEntry.parse(f.getFileName().toString());
        if (e.isPresent() && e.get().walName().equals(walName)) {
          return e;
        }
      }
    }
    return Optional.empty();
  }

  private static String glob(String walName) {
    return walName.replaceAll("([*?\\[\\]{}\\\\])", "\\\\$1") + ".*";
  }

  public Path path(SpoolEntry entry) {
    return directory.resolve(entry.fileName());
  }

  /** A new temporary file name in the spool; dot-named, so never taken for an entry. */
  public Path newTemporary(String walName) {
    return directory.resolve("." + walName + "." + ProcessHandle.current().pid() + "-"
        + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
  }

  /** Publishes a complete temporary file as an entry (an atomic rename). */
  public SpoolEntry publish(Path temporary, String walName, FileChecksum checksum) throws IOException {
    SpoolEntry entry = new SpoolEntry(walName, checksum.size(), checksum.cksum());
    Files.move(temporary, path(entry), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return entry;
  }

  /** Writes an empty entry that records a size and checksum only: a mark. */
  public SpoolEntry mark(String walName, FileChecksum checksum) throws IOException {
    Path temp = newTemporary(walName);
    Files.write(temp, new byte[0]);
    return publish(temp, walName, checksum);
  }

  /** Whether the entry's file has exactly the size and checksum its name promises. */
  public boolean isIntact(SpoolEntry entry) throws IOException {
    try {
      return FileChecksum.of(path(entry)).matches(entry);
    } catch (NoSuchFileException gone) {
      return false;
    }
  }

  /**
   * Moves the entry's file to {@code destination} (a rename when both are on one file system,
   * else a copy to a temporary file beside it, renamed).
   */
  public void moveOut(SpoolEntry entry, Path destination) throws IOException {
    try {
      Files.move(path(entry), destination, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException otherFileSystem) {
      Path temp = destination.resolveSibling("." + destination.getFileName() + ".tidemark-fetch");
      Files.copy(path(entry), temp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(temp, destination, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      remove(entry);
    }
  }

  public void remove(SpoolEntry entry) throws IOException {
    Files.deleteIfExists(path(entry));
  }

  /** Deletes temporary files that killed processes left behind. */
  public void sweepAbandoned() throws IOException {
    Instant before = Instant.now().minus(ABANDONED);
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, ".*.tmp")) {
      for (Path f : files) {
        try {
          if (Files.getLastModifiedTime(f).toInstant().isBefore(before)) {
            Files.deleteIfExists(f);
          }
        } catch (NoSuchFileException gone) {
          // another call swept it
        }
      }
    }
  }

  /**
   * Appends one line to the spool's activity log (what was served from where, what was done
   * ahead): PostgreSQL's own log shows only failures. Kept to about a megabyte.
   */
  public void log(String line) {
    Path log = directory.resolve(LOG);
    try {
      if (Files.exists(log) && Files.size(log) > LOG_LIMIT) {
        Files.move(log, directory.resolve(LOG + ".1"), StandardCopyOption.REPLACE_EXISTING);
      }
      Files.write(log, (Instant.now() + " " + line + "\n").getBytes(StandardCharsets.UTF_8),
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException ignored) {
      // the log is for people; it never fails a transfer
    }
  }

  /**
   * Lets the launcher serve this spool without a JVM (see ./tidemark): for fetches, while more than
   * {@code lowWater} segments are spooled ahead of the one asked for; for marks, always.
   */
  public void enableLauncher(int lowWater) throws IOException {
    Path file = directory.resolve(LAUNCHER);
    String value = lowWater + "\n";
    if (!Files.exists(file) || !Files.readString(file).equals(value)) {
      Path temp = newTemporary("launcher");
      Files.writeString(temp, value);
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Only the default spool, in pg_wal, is one the launcher finds. */
  public static boolean launcherFinds(WalSettings settings) {
    return settings.spoolPath() == null;
  }

  public Path logFile() {
    return directory.resolve(LOG);
  }
}
