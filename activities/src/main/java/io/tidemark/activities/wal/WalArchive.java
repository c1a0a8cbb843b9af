package io.tidemark.activities.wal;

import io.tidemark.activities.repository.Listing;
import io.tidemark.activities.repository.Repository;
import io.tidemark.activities.repository.RepositoryLayout;
import io.tidemark.workflows.model.WalFileName;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A node's archived WAL, read by listing: which segments of a range are there, where the gaps
 * are. A listing starts at the first segment asked about, so a question about a recent range
 * costs a page or two, however long the archive.
 */
public final class WalArchive {

  /** A run of missing segments, inclusive, followed by a segment that is there. */
  public record Gap(String first, String last) {}

  private final Repository repo;

  public WalArchive(Repository repo) {
    this.repo = repo;
  }

  /** The first segment of {@code first..last} that is not archived, or null if all are. */
  public String firstMissing(String cluster, String node, int timeline, long first, long last, long segmentSize)
      throws IOException {
    long next = first;
    try (Stream<Listing> listing = list(cluster, node, timeline, first, segmentSize)) {
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
    return next > last ? null : WalFileName.segmentName(timeline, next, segmentSize);
  }

  /**
   * The gaps in the timeline's archive from segment {@code first} to the newest segment archived,
   * and that newest segment (null if none is archived from {@code first} on).
   */
  public Continuity continuity(String cluster, String node, int timeline, long first, long segmentSize)
      throws IOException {
    List<Gap> gaps = new ArrayList<>();
    long expected = first;
    String newest = null;
    try (Stream<Listing> listing = list(cluster, node, timeline, first, segmentSize)) {
      for (Listing l : (Iterable<Listing>) listing::iterator) {
        String name = l.name();
        if (!isSegmentObject(name)) {
          continue;
        }
        long segment = WalFileName.segmentNumberOf(name.substring(0, 24), segmentSize);
        if (segment > expected) {
          gaps.add(new Gap(WalFileName.segmentName(timeline, expected, segmentSize),
              WalFileName.segmentName(timeline, segment - 1, segmentSize)));
        }
        expected = segment + 1;
        newest = name.substring(0, 24);
      }
    }
    return new Continuity(newest, gaps);
  }

  /** What {@link #continuity} found. */
  public record Continuity(String newest, List<Gap> gaps) {}

  private Stream<Listing> list(String cluster, String node, int timeline, long first, long segmentSize)
      throws IOException {
    String folder = RepositoryLayout.walTimeline(cluster, node, timeline);
    // "<segment>" sorts just before "<segment>.zst": list from there, in key order.
    return repo.list(folder, folder + WalFileName.segmentName(timeline, first, segmentSize));
  }

  static boolean isSegmentObject(String name) {
    return name.length() == 28 && name.endsWith(".zst") && WalFileName.isSegment(name.substring(0, 24));
  }
}
