package io.tidemark.activities.wal.spool;

import io.tidemark.workflows.model.WalFileName;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What wal-fetch does ahead once PostgreSQL has its segment: which following segments of the same
 * timeline to fetch into the spool, and which spool entries are no longer needed. Fetching waits
 * until at most half the window is spooled, so the fetches of one call run in parallel and most
 * calls only hand over a spooled segment.
 *
 * @param fetch segments to fetch ahead, nearest first
 * @param obsolete entries recovery has passed (an older segment, on any timeline) or that are no segment
 */
public record PrefetchPlan(List<String> fetch, List<SpoolEntry> obsolete) {

  /**
   * @param requested the segment PostgreSQL asked for (and now has)
   * @param window how many segments to keep spooled ahead of it
   * @param servedFromSpool whether it came from the spool; a segment fetched from the repository
   *     means the spool ran dry, so the window is filled whatever it holds
   */
  public static PrefetchPlan of(String requested, long segmentSize, int window, Collection<SpoolEntry> spooled,
      boolean servedFromSpool) {
    long number = WalFileName.segmentNumberOf(requested, segmentSize);
    int timeline = WalFileName.timelineOf(requested);
    List<SpoolEntry> obsolete = new ArrayList<>();
    Set<String> present = new HashSet<>();
    for (SpoolEntry e : spooled) {
      if (!WalFileName.isSegment(e.walName()) || e.size() != segmentSize
          || WalFileName.segmentNumberOf(e.walName(), segmentSize) <= number) {
        obsolete.add(e);
      } else {
        present.add(e.walName());
      }
    }
    List<String> ahead = new ArrayList<>();
    for (long n = number + 1; n <= number + window; n++) {
      ahead.add(WalFileName.segmentName(timeline, n, segmentSize));
    }
    long spooledAhead = ahead.stream().filter(present::contains).count();
    if (window == 0 || (servedFromSpool && spooledAhead > window / 2)) {
      return new PrefetchPlan(List.of(), obsolete);
    }
    return new PrefetchPlan(ahead.stream().filter(n -> !present.contains(n)).toList(), obsolete);
  }

  /** WAL segment sizes initdb allows: powers of two from 1 MiB to 1 GiB. */
  public static boolean isSegmentSize(long size) {
    return size >= (1 << 20) && size <= (1 << 30) && Long.bitCount(size) == 1;
  }
}
