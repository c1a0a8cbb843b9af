package io.tidemark.activities.wal.spool;

import io.tidemark.activities.config.WalSettings;
import io.tidemark.activities.postgres.ControlFile;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code push-stats} in a node's push spool: the {@link PushStats} that the node's wal-push
 * processes add to and its agent reads. PostgreSQL's archiver runs one wal-push at a time, but
 * people and scripts may run more, so a writer holds an exclusive lock on {@code push-stats.lock}
 * while it reads, adds and writes (no update is lost), and writes a temporary file renamed over
 * the old one (a reader never sees half a file). The lock is the kernel's: it goes with the
 * process, so a killed wal-push leaves none behind.
 */
public final class PushStatsFile {

  public static final String NAME = "push-stats";
  private static final String LOCK = "push-stats.lock";
  private static final String TEMPORARY = ".push-stats.tmp";
  /** The stats are not worth a slow archive_command: past this, the call's transfers go uncounted. */
  static final Duration LOCK_WAIT = Duration.ofSeconds(2);
  /** A file lock belongs to the whole process: threads of one process take turns here first. */
  private static final Object IN_PROCESS = new Object();

  private final Path directory;

  public PushStatsFile(Path directory) {
    this.directory = directory;
  }

  public static PushStatsFile in(WalSpool pushSpool) {
    return new PushStatsFile(pushSpool.directory());
  }

  /**
   * The file of a node's data directory, where its wal-push writes it (the push spool of the
   * server's current database system); nothing is created.
   */
  public static PushStatsFile of(WalSettings settings, Path dataDirectory, String cluster, String node)
      throws IOException {
    return new PushStatsFile(WalSpool.directory(WalSpool.root(settings, dataDirectory), WalSpool.PUSH, cluster, node,
        ControlFile.systemIdentifier(dataDirectory)));
  }

  public Path path() {
    return directory.resolve(NAME);
  }

  /**
   * Adds the transfers. Returns false, counting nothing, if other processes held the lock for
   * longer than {@link #LOCK_WAIT}.
   */
  public boolean add(List<PushTiming> timings, long nowMillis) throws IOException {
    if (timings.isEmpty()) {
      return true;
    }
    synchronized (IN_PROCESS) {
      try (FileChannel lockFile = FileChannel.open(directory.resolve(LOCK), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE)) {
        FileLock lock = acquire(lockFile);
        if (lock == null) {
          return false;
        }
        try {
          write(read().orElse(PushStats.empty()).plus(timings, nowMillis));
          return true;
        } finally {
          lock.release();
        }
      }
    }
  }

  /** The stats, if the file is there, whole and consistent (a damaged one counts as none: counting starts again). */
  public Optional<PushStats> read() throws IOException {
    String text;
    try {
      text = new String(Files.readAllBytes(path()), StandardCharsets.UTF_8);
    } catch (NoSuchFileException none) {
      return Optional.empty();
    }
    return PushStatsText.parse(text).filter(PushStats::isConsistent);
  }

  private static FileLock acquire(FileChannel lockFile) throws IOException {
    long deadline = System.nanoTime() + LOCK_WAIT.toNanos();
    while (true) {
      FileLock lock = lockFile.tryLock();
      if (lock != null || System.nanoTime() > deadline) {
        return lock;
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
  }

  private void write(PushStats stats) throws IOException {
    // Only the lock's holder writes, so one name will do: a killed writer's file is overwritten
    // by the next one (and, dot-named and .tmp, swept as the spool's other temporary files).
    Path temp = directory.resolve(TEMPORARY);
    try {
      Files.writeString(temp, PushStatsText.format(stats));
      Files.move(temp, path(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
