package io.tidemark.activities.wal;

import io.tidemark.activities.postgres.ControlFile;
import io.tidemark.activities.wal.spool.FileChecksum;
import io.tidemark.activities.wal.spool.PushLock;
import io.tidemark.activities.wal.spool.ReadyQueue;
import io.tidemark.activities.wal.spool.WalSpool;
import io.tidemark.workflows.model.WalFileName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Helps a backup's wait for its WAL along: the node agent pushes the segments the backup needs
 * straight from pg_wal once PostgreSQL has marked them ready, rather than wait for the archiver to
 * start an archive_command for each (a JVM start, then the upload: about half a second, twice per
 * backup on the project's machine). Each push holds the segment's {@link PushLock}, as wal-push's
 * own do, so the two never write one object at once; the agent then marks the segment in the push
 * spool, and the archiver's turn for it succeeds at once (the launcher finds the mark), or, if it
 * came first, its JVM finds the object stored and identical. A segment the agent cannot push — no
 * lock file yet, an error — is left to the archiver, which every segment can always take. Used only
 * while the archiver works: a backup must not hide a broken archive_command.
 */
public final class ReadyWalPush {

  private static final Logger log = LoggerFactory.getLogger(ReadyWalPush.class);

  private final WalPusher pusher;
  private final Path dataDirectory;
  private final Path spoolRoot;
  /** Segments this wait has pushed or left to the archiver. */
  private final Set<String> done = new HashSet<>();

  /** @param spoolRoot where wal-push keeps its marks for this data directory ({@link WalSpool#root}) */
  public ReadyWalPush(WalPusher pusher, Path dataDirectory, Path spoolRoot) {
    this.pusher = pusher;
    this.dataDirectory = dataDirectory;
    this.spoolRoot = spoolRoot;
  }

  /**
   * Pushes the ready segments of {@code timeline} numbered {@code first} to {@code last}.
   *
   * @return how many it stored or found stored
   */
  public int push(String cluster, String node, int timeline, long first, long last, long segmentSize) {
    Path pgWal = dataDirectory.resolve("pg_wal");
    PushLock locks = PushLock.of(pgWal);
    int count = 0;
    try {
      for (String name : new ReadyQueue(pgWal).ready()) {
        if (done.contains(name) || !wanted(name, timeline, first, last, segmentSize)) {
          continue;
        }
        done.add(name);
        try (PushLock.Held held = locks.lockIfShared(name)) {
          if (held == null) {
            return count; // no wal-push has run here yet, or it runs as a user whose lock file we cannot write
          }
          WalSpool marks = marks(cluster, node);
          if (!Files.exists(ReadyQueue.readyFile(pgWal, name)) || marks.find(name).isPresent()) {
            continue; // the archiver pushed it while we waited for the lock, or pushed it ahead
          }
          Path file = pgWal.resolve(name);
          FileChecksum sum = FileChecksum.of(file);
          pusher.push(cluster, node, file, dataDirectory);
          marks.mark(name, sum);
          count++;
        } catch (NoSuchFileException archivedMeanwhile) {
          // the archiver got there first and PostgreSQL recycled the file
        } catch (IOException | RuntimeException e) {
          log.warn("could not push {} of node {} ahead of the archiver; it will archive it: {}", name, node,
              e.getMessage());
          return count; // the archiver will say the same about the rest, and it is the one that must succeed
        }
      }
    } catch (IOException unreadable) {
      log.warn("cannot read {}'s archive status; waiting for the archiver: {}", pgWal, unreadable.getMessage());
    }
    return count;
  }

  private WalSpool marks(String cluster, String node) throws IOException {
    return WalSpool.open(spoolRoot, WalSpool.PUSH, cluster, node, ControlFile.systemIdentifier(dataDirectory));
  }

  private static boolean wanted(String name, int timeline, long first, long last, long segmentSize) {
    if (!WalFileName.isSegment(name) || WalFileName.timelineOf(name) != timeline) {
      return false;
    }
    long number = WalFileName.segmentNumberOf(name, segmentSize);
    return number >= first && number <= last;
  }
}
