package io.tidemark.activities.wal;

import io.tidemark.activities.repository.Repository;
import io.tidemark.workflows.model.WalFileName;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Watches a node's archive until a contiguous run of WAL segments is there. It lists the
 * timeline's folder from the first missing segment on, so a long wait costs a few listings, not one
 * request per segment; it looks often at first and whenever a segment arrived, less often as the
 * wait drags on.
 */
public final class WalWaiter {

  /** Called between polls; throws if the wait must end (activity cancelled). */
  public interface Tick {
    void waiting(String missingSegment) throws IOException;
  }

  /** Called before each look at the archive, with the segments still missing: may archive some itself. */
  public interface Helper {
    void help(long firstMissing, long last);

    Helper NONE = (firstMissing, last) -> {};
  }

  /**
   * The last segment usually lands a fraction of a second after the wait begins: look after 50 ms,
   * then back off to one listing a second for long waits.
   */
  static final long FIRST_PAUSE_MILLIS = 50;
  static final long LONGEST_PAUSE_MILLIS = 1000;

  private final Repository repo;
  private final Clock clock;

  public WalWaiter(Repository repo, Clock clock) {
    this.repo = repo;
    this.clock = clock;
  }

  /**
   * @return null when every segment from {@code startWal} to {@code stopWal} is archived, else the
   *     first one still missing when the timeout ran out
   */
  public String await(String cluster, String node, int timeline, String startWal, String stopWal, long segmentSize,
      Duration timeout, Tick tick) throws IOException, InterruptedException {
    return await(cluster, node, timeline, startWal, stopWal, segmentSize, timeout, tick, Helper.NONE);
  }

  /** As above, with {@code helper} called before each look. */
  public String await(String cluster, String node, int timeline, String startWal, String stopWal, long segmentSize,
      Duration timeout, Tick tick, Helper helper) throws IOException, InterruptedException {
    long first = WalFileName.segmentNumberOf(startWal, segmentSize);
    long last = WalFileName.segmentNumberOf(stopWal, segmentSize);
    WalArchive archive = new WalArchive(repo);
    Instant deadline = clock.instant().plus(timeout);
    long pause = FIRST_PAUSE_MILLIS;
    while (true) {
      helper.help(first, last);
      String missing = archive.firstMissing(cluster, node, timeline, first, last, segmentSize);
      if (missing == null) {
        return null;
      }
      long missingNumber = WalFileName.segmentNumberOf(missing, segmentSize);
      if (missingNumber > first) {
        pause = FIRST_PAUSE_MILLIS; // archiving is moving: look again soon
      }
      first = missingNumber;
      if (clock.instant().isAfter(deadline)) {
        return missing;
      }
      tick.waiting(missing);
      Thread.sleep(pause);
      pause = nextPause(pause);
    }
  }

  static long nextPause(long pause) {
    return Math.min(LONGEST_PAUSE_MILLIS, pause * 2);
  }
}
