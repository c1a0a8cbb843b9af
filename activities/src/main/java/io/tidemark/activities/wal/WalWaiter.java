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
 * request per segment.
 */
public final class WalWaiter {

  /** Called between polls; throws if the wait must end (activity cancelled). */
  public interface Tick {
    void waiting(String missingSegment) throws IOException;
  }

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
    long first = WalFileName.segmentNumberOf(startWal, segmentSize);
    long last = WalFileName.segmentNumberOf(stopWal, segmentSize);
    WalArchive archive = new WalArchive(repo);
    Instant deadline = clock.instant().plus(timeout);
    while (true) {
      String missing = archive.firstMissing(cluster, node, timeline, first, last, segmentSize);
      if (missing == null) {
        return null;
      }
      first = WalFileName.segmentNumberOf(missing, segmentSize);
      if (clock.instant().isAfter(deadline)) {
        return missing;
      }
      tick.waiting(missing);
      Thread.sleep(1000);
    }
  }
}
