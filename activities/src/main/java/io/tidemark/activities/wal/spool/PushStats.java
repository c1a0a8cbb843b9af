package io.tidemark.activities.wal.spool;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One node's wal-push transfers, cumulative, per kind of push and outcome: what each wal-push adds
 * to and the node agent exports as a histogram. Every count only grows, so a reader can export it
 * as often as it likes and several agents of one node export the same numbers: nothing is counted
 * twice. Bounded: at most one series per push kind and outcome.
 *
 * @param boundsSeconds the buckets' upper bounds, in seconds
 * @param series one per push kind and outcome seen
 */
public record PushStats(int format, List<Double> boundsSeconds, List<Series> series) {

  public static final int FORMAT = 1;
  /**
   * A 16 MiB segment takes some milliseconds to a local directory and tens to hundreds to S3;
   * seconds mean trouble, so the buckets reach two minutes.
   */
  public static final List<Double> BOUNDS =
      List.of(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0);

  private static final long MINUTE_MILLIS = 60_000;

  /**
   * @param buckets transfers per bound, not cumulative: {@code buckets[i]} took more than bound
   *     {@code i-1} and at most bound {@code i}; the last one counts those above every bound
   * @param maxMinute the minute (since the epoch) {@code maxNanos} belongs to
   * @param maxNanos the longest transfer in that minute
   * @param previousMaxNanos the longest in the minute before it
   */
  public record Series(String push, String outcome, long count, long sumNanos, long bytes, List<Long> buckets,
      long maxMinute, long maxNanos, long previousMaxNanos) {

    Series plus(PushTiming t, List<Double> bounds, long minute) {
      List<Long> b = new ArrayList<>(buckets);
      int i = 0;
      while (i < bounds.size() && t.nanos() > bounds.get(i) * 1e9) {
        i++;
      }
      b.set(i, b.get(i) + 1);
      long max = maxNanos;
      long previous = previousMaxNanos;
      if (minute != maxMinute) {
        previous = minute == maxMinute + 1 ? maxNanos : 0;
        max = 0;
      }
      return new Series(push, outcome, count + 1, sumNanos + t.nanos(), bytes + t.bytes(), List.copyOf(b), minute,
          Math.max(max, t.nanos()), previous);
    }

    /** The longest transfer of this minute and the one before, as seen at {@code nowMillis}; 0 if none. */
    public long recentMaxNanos(long nowMillis) {
      long minute = Math.floorDiv(nowMillis, MINUTE_MILLIS);
      if (minute == maxMinute) {
        return Math.max(maxNanos, previousMaxNanos);
      }
      return minute == maxMinute + 1 ? maxNanos : 0;
    }
  }

  public static PushStats empty() {
    return new PushStats(FORMAT, BOUNDS, List.of());
  }

  /** These stats with the transfers added; stats of another format or other buckets start afresh. */
  public PushStats plus(List<PushTiming> timings, long nowMillis) {
    PushStats base = format == FORMAT && BOUNDS.equals(boundsSeconds) && isConsistent() ? this : empty();
    List<Series> all = new ArrayList<>(base.series);
    long minute = Math.floorDiv(nowMillis, MINUTE_MILLIS);
    for (PushTiming t : timings) {
      int at = indexOf(all, t.push(), t.outcome());
      if (at < 0) {
        all.add(new Series(t.push(), t.outcome(), 0, 0, 0, Collections.nCopies(BOUNDS.size() + 1, 0L), minute, 0, 0));
        at = all.size() - 1;
      }
      all.set(at, all.get(at).plus(t, BOUNDS, minute));
    }
    return new PushStats(FORMAT, BOUNDS, List.copyOf(all));
  }

  /** Whether every series has one count per bucket and the counts add up: a reader exports nothing else. */
  public boolean isConsistent() {
    if (boundsSeconds == null || series == null) {
      return false;
    }
    for (Series s : series) {
      if (s.push() == null || s.outcome() == null || s.buckets() == null
          || s.buckets().size() != boundsSeconds.size() + 1) {
        return false;
      }
      long total = 0;
      for (long n : s.buckets()) {
        total += n;
      }
      if (total != s.count()) {
        return false;
      }
    }
    return true;
  }

  private static int indexOf(List<Series> all, String push, String outcome) {
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).push().equals(push) && all.get(i).outcome().equals(outcome)) {
        return i;
      }
    }
    return -1;
  }
}
