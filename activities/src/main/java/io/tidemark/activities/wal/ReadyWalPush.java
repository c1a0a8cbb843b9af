package io.tidemark.activities.wal;

import io.tidemark.activities.wal.spool.ReadyQueue;
import io.tidemark.workflows.model.WalFileName;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Helps a backup's wait for its WAL along: the node agent pushes the segments the backup needs
 * straight from pg_wal once PostgreSQL has marked them ready, rather than wait for the archiver to
 * start an archive_command for each (a process start, then the upload: about half a second per
 * segment on the project's machine, twice per backup). The archiver's own push of a segment then
 * finds it stored with the same bytes and succeeds, as any repeated push does. A segment the agent
 * cannot push is left to the archiver, which stays the path every segment takes anyway. Only used
 * while the archiver is known to work: a backup must not hide a broken archive_command.
 */
public final class ReadyWalPush {

  private static final Logger log = LoggerFactory.getLogger(ReadyWalPush.class);

  private final WalPusher pusher;
  private final Path dataDirectory;
  /** Segments this wait pushed: a segment stays ready until the archiver has had its turn. */
  private final Set<String> pushed = new HashSet<>();

  public ReadyWalPush(WalPusher pusher, Path dataDirectory) {
    this.pusher = pusher;
    this.dataDirectory = dataDirectory;
  }

  /**
   * Pushes the ready segments of {@code timeline} numbered {@code first} to {@code last}.
   *
   * @return how many it stored or found stored
   */
  public int push(String cluster, String node, int timeline, long first, long last, long segmentSize) {
    Path pgWal = dataDirectory.resolve("pg_wal");
    int count = 0;
    try {
      for (String name : new ReadyQueue(pgWal).ready()) {
        if (pushed.contains(name) || !wanted(name, timeline, first, last, segmentSize)) {
          continue;
        }
        try {
          pusher.push(cluster, node, pgWal.resolve(name), dataDirectory);
          pushed.add(name);
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

  private static boolean wanted(String name, int timeline, long first, long last, long segmentSize) {
    if (!WalFileName.isSegment(name) || WalFileName.timelineOf(name) != timeline) {
      return false;
    }
    long number = WalFileName.segmentNumberOf(name, segmentSize);
    return number >= first && number <= last;
  }
}
