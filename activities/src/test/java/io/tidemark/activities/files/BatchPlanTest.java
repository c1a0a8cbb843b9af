package io.tidemark.activities.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BatchPlanTest {

  private static final long GIB = 1024L * 1024 * 1024;

  @Test
  void aSmallClusterGetsTheSmallestUsefulBatches() {
    BatchPlan plan = BatchPlan.forTotals(1000, 40 * BatchPlan.MIB, 4);
    assertEquals(BatchPlan.MIN_BYTES, plan.maxBytes());
    assertEquals(BatchPlan.MIN_FILES, plan.maxFiles());
  }

  @Test
  void aLargeClusterGivesEverySlotSeveralBatches() {
    BatchPlan plan = BatchPlan.forTotals(200_000, 1024 * GIB, 8);
    assertEquals(BatchPlan.MAX_BYTES, plan.maxBytes(), "capped, so a retry never redoes more than 4 GiB");
    BatchPlan mid = BatchPlan.forTotals(100_000, 64 * GIB, 4);
    assertEquals(2 * GIB, mid.maxBytes());
    assertEquals(100_000 / 32, mid.maxFiles());
  }

  @Test
  void manySmallFilesAreCappedByCount() {
    BatchPlan plan = BatchPlan.forTotals(5_000_000, 50 * GIB, 4);
    assertEquals(BatchPlan.MAX_FILES, plan.maxFiles());
    assertTrue(plan.isFull(BatchPlan.MAX_FILES, 1));
    assertFalse(plan.isFull(BatchPlan.MAX_FILES - 1, 1));
    assertTrue(plan.isFull(1, plan.maxBytes()));
  }
}
