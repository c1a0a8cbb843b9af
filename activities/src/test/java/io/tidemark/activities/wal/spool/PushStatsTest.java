package io.tidemark.activities.wal.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class PushStatsTest {

  static final long MS = 1_000_000;
  static final long MINUTE = 60_000;
  static final long T0 = 29_000_000 * MINUTE + 5_000; // 5 s into some minute

  private static PushTiming stored(long millis) {
    return new PushTiming(PushTiming.ASKED, PushTiming.STORED, millis * MS, 16 << 20);
  }

  private static PushStats.Series only(PushStats s, String push, String outcome) {
    return s.series().stream().filter(x -> x.push().equals(push) && x.outcome().equals(outcome)).findFirst()
        .orElseThrow();
  }

  @Test
  void eachTransferLandsInTheFirstBucketItFitsAndAddsToCountSumAndBytes() {
    PushStats s = PushStats.empty().plus(List.of(stored(3), stored(5), stored(7), stored(200_000)), T0);
    PushStats.Series a = only(s, PushTiming.ASKED, PushTiming.STORED);
    assertEquals(4, a.count());
    assertEquals(200_015 * MS, a.sumNanos());
    assertEquals(4L * (16 << 20), a.bytes());
    List<Long> b = a.buckets();
    assertEquals(PushStats.BOUNDS.size() + 1, b.size());
    assertEquals(2, b.get(0), "3 ms and exactly 5 ms: at most 0.005 s");
    assertEquals(1, b.get(1), "7 ms: at most 0.01 s");
    assertEquals(1, b.get(b.size() - 1), "200 s: above every bound");
    assertTrue(s.isConsistent());
  }

  @Test
  void pushKindsAndOutcomesAreSeriesOfTheirOwnAndCountsOnlyGrow() {
    PushStats s = PushStats.empty()
        .plus(List.of(stored(10), new PushTiming(PushTiming.AHEAD, PushTiming.STORED, 20 * MS, 100)), T0)
        .plus(List.of(new PushTiming(PushTiming.ASKED, PushTiming.FAILED, 30 * MS, 0),
            new PushTiming(PushTiming.AHEAD, PushTiming.ALREADY_ARCHIVED, 40 * MS, 7), stored(50)), T0 + 1000);
    assertEquals(4, s.series().size());
    assertEquals(2, only(s, PushTiming.ASKED, PushTiming.STORED).count());
    assertEquals(60 * MS, only(s, PushTiming.ASKED, PushTiming.STORED).sumNanos());
    assertEquals(1, only(s, PushTiming.ASKED, PushTiming.FAILED).count());
    assertEquals(7, only(s, PushTiming.AHEAD, PushTiming.ALREADY_ARCHIVED).bytes());
  }

  @Test
  void theMaxIsTheLongestOfThisMinuteAndTheOneBefore() {
    PushStats s = PushStats.empty().plus(List.of(stored(900), stored(100)), T0);
    PushStats.Series a = only(s, PushTiming.ASKED, PushTiming.STORED);
    assertEquals(900 * MS, a.recentMaxNanos(T0));
    assertEquals(900 * MS, a.recentMaxNanos(T0 + MINUTE), "still shown in the next minute");
    assertEquals(0, a.recentMaxNanos(T0 + 2 * MINUTE), "gone after that");

    PushStats next = s.plus(List.of(stored(200)), T0 + MINUTE);
    PushStats.Series b = only(next, PushTiming.ASKED, PushTiming.STORED);
    assertEquals(900 * MS, b.recentMaxNanos(T0 + MINUTE), "the minute before still counts");
    assertEquals(200 * MS, b.recentMaxNanos(T0 + 2 * MINUTE), "then only the later minute's");

    PushStats later = s.plus(List.of(stored(200)), T0 + 5 * MINUTE);
    assertEquals(200 * MS, only(later, PushTiming.ASKED, PushTiming.STORED).recentMaxNanos(T0 + 5 * MINUTE),
        "a quiet gap forgets the old maximum");
  }

  @Test
  void statsOfOtherBucketsOrInconsistentCountsStartAgain() {
    PushStats other = new PushStats(PushStats.FORMAT, List.of(1.0), List.of(new PushStats.Series(PushTiming.ASKED,
        PushTiming.STORED, 5, 5, 5, List.of(2L, 3L), 0, 0, 0)));
    assertTrue(other.isConsistent());
    assertEquals(1, only(other.plus(List.of(stored(1)), T0), PushTiming.ASKED, PushTiming.STORED).count());

    PushStats broken = new PushStats(PushStats.FORMAT, PushStats.BOUNDS, List.of(new PushStats.Series(PushTiming.ASKED,
        PushTiming.STORED, 9, 5, 5, Collections.nCopies(PushStats.BOUNDS.size() + 1, 0L), 0, 0, 0)));
    assertFalse(broken.isConsistent(), "a count its buckets do not add up to");
    assertEquals(1, only(broken.plus(List.of(stored(1)), T0), PushTiming.ASKED, PushTiming.STORED).count());
  }
}
