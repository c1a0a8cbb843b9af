package io.tidemark.activities.wal.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PrefetchPlanTest {

  static final long MB16 = 16L << 20;

  static SpoolEntry entry(String name) {
    return new SpoolEntry(name, MB16, 1);
  }

  @Test
  void aSegmentFromTheRepositoryFillsTheWindowAcrossALogicalFileBoundary() {
    PrefetchPlan plan = PrefetchPlan.of("0000000100000000000000FE", MB16, 3, List.of(), false);
    assertEquals(List.of("0000000100000000000000FF", "000000010000000100000000", "000000010000000100000001"),
        plan.fetch());
    assertTrue(plan.obsolete().isEmpty());
  }

  @Test
  void aSpooledSegmentTopsUpOnlyWhenHalfTheWindowIsLeft() {
    List<SpoolEntry> five = List.of(entry("000000010000000000000011"), entry("000000010000000000000012"),
        entry("000000010000000000000013"), entry("000000010000000000000014"), entry("000000010000000000000015"));
    assertTrue(PrefetchPlan.of("000000010000000000000010", MB16, 8, five, true).fetch().isEmpty(), "5 of 8 spooled");
    List<SpoolEntry> four = five.subList(1, 5);
    assertEquals(List.of("000000010000000000000016", "000000010000000000000017", "000000010000000000000018",
        "000000010000000000000019"), PrefetchPlan.of("000000010000000000000011", MB16, 8, four, true).fetch());
    assertEquals(List.of("000000010000000000000016"), PrefetchPlan.of("000000010000000000000010", MB16, 6, five, false)
        .fetch(), "after a miss the window is filled whatever it holds");
  }

  @Test
  void entriesRecoveryPassedAreObsoleteOnEveryTimelineAndOthersStay() {
    SpoolEntry passed = entry("000000010000000000000009");
    SpoolEntry sameSegmentOtherTimeline = entry("00000002000000000000000A");
    SpoolEntry ahead = entry("00000001000000000000000B");
    SpoolEntry otherSize = new SpoolEntry("00000001000000000000000C", 1 << 20, 1);
    PrefetchPlan plan = PrefetchPlan.of("00000001000000000000000A", MB16, 2,
        List.of(passed, sameSegmentOtherTimeline, ahead, otherSize), true);
    assertEquals(List.of(passed, sameSegmentOtherTimeline, otherSize), plan.obsolete());
    assertEquals(List.of("00000001000000000000000C"), plan.fetch());
  }

  @Test
  void windowZeroFetchesNothing() {
    assertTrue(PrefetchPlan.of("00000001000000000000000A", MB16, 0, List.of(), false).fetch().isEmpty());
  }

  @Test
  void segmentSizesAreThoseInitdbAllows() {
    assertTrue(PrefetchPlan.isSegmentSize(MB16));
    assertTrue(PrefetchPlan.isSegmentSize(1 << 20));
    assertTrue(PrefetchPlan.isSegmentSize(1L << 30));
    assertFalse(PrefetchPlan.isSegmentSize(MB16 - 1));
    assertFalse(PrefetchPlan.isSegmentSize(1 << 19));
    assertFalse(PrefetchPlan.isSegmentSize(0));
  }
}
