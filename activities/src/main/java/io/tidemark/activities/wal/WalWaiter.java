package io.tidemark.activities.wal;

import io.tidemark.activities.repository.Listing;
import io.tidemark.activities.repository.Repository;
import io.tidemark.activities.repository.RepositoryLayout;
import io.tidemark.workflows.model.WalFileName;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.stream.Stream;

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
    long next = WalFileName.segmentNumberOf(startWal, segmentSize);
    long last = WalFileName.segmentNumberOf(stopWal, segmentSize);
    String folder = RepositoryLayout.walTimeline(cluster, node, timeline);
    Instant deadline = clock.instant().plus(timeout);
    while (true) {
      next = firstMissing(folder, timeline, next, last, segmentSize);
      if (next > last) {
        return null;
      }
      String missing = WalFileName.segmentName(timeline, next, segmentSize);
      if (clock.instant().isAfter(deadline)) {
        return missing;
      }
      tick.waiting(missing);
      Thread.sleep(1000);
    }
  }

  /** The first segment from {@code next} on that is not in the folder (or last + 1). */
  long firstMissing(String folder, int timeline, long next, long last, long segmentSize) throws IOException {
    // "<segment>" sorts just before "<segment>.zst": list from there, in key order.
    try (Stream<Listing> listing = repo.list(folder, folder + WalFileName.segmentName(timeline, next, segmentSize))) {
      Iterator<Listing> it = listing.iterator();
      while (next <= last && it.hasNext()) {
        String name = it.next().name();
        if (!isSegmentObject(name)) {
          continue; // backup history and partial files
        }
        if (!name.equals(WalFileName.segmentName(timeline, next, segmentSize) + ".zst")) {
          break; // a later segment: there is a gap at next
        }
        next++;
      }
    }
    return next;
  }

  private static boolean isSegmentObject(String name) {
    return name.length() == 28 && name.endsWith(".zst") && WalFileName.isSegment(name.substring(0, 24));
  }
}
