package io.tidemark.workflows.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WalFileNameTest {

  private static final long MB16 = 16L * 1024 * 1024;

  @Test
  void namesSegmentsAsPgWalfileNameDoes() {
    // pg_walfile_name('0/2000028') on timeline 1 with 16 MB segments
    assertEquals("000000010000000000000002", WalFileName.segmentNameFor(1, Lsn.parse("0/2000028"), MB16));
    assertEquals("0000000200000016000000B3", WalFileName.segmentNameFor(2, Lsn.parse("16/B374D848"), MB16));
  }

  @Test
  void aStopExactlyOnASegmentBoundaryNeedsThePreviousSegment() {
    Lsn boundary = Lsn.parse("0/3000000");
    assertEquals(3, WalFileName.segmentNumber(boundary, MB16));
    assertEquals(2, WalFileName.previousSegmentNumber(boundary, MB16));
    assertEquals(3, WalFileName.previousSegmentNumber(Lsn.parse("0/3000001"), MB16));
  }

  @Test
  void segmentNumbersRoundTripForOtherSegmentSizes() {
    long mb1 = 1024 * 1024;
    long mb1g = 1024L * 1024 * 1024;
    for (long size : new long[] {mb1, MB16, mb1g}) {
      for (long seg : new long[] {0, 1, 255, 256, 4095, 4096, 123_456}) {
        String name = WalFileName.segmentName(7, seg, size);
        assertEquals(seg, WalFileName.segmentNumberOf(name, size), name);
        assertEquals(7, WalFileName.timelineOf(name));
      }
    }
    assertEquals("000000010000000100000000", WalFileName.segmentName(1, 256, MB16));
  }

  @Test
  void recognisesEveryArchivableName() {
    assertTrue(WalFileName.isArchivable("000000010000000000000002"));
    assertTrue(WalFileName.isArchivable("00000002.history"));
    assertTrue(WalFileName.isArchivable("000000010000000000000002.00000028.backup"));
    assertTrue(WalFileName.isArchivable("000000010000000000000002.partial"));
    assertFalse(WalFileName.isArchivable("00000001000000000000000"));
    assertFalse(WalFileName.isArchivable("000000010000000000000002.tmp"));
    assertFalse(WalFileName.isArchivable("../00000002.history"));
    assertEquals(2, WalFileName.timelineOf("00000002.history"));
    assertEquals("00000003.history", WalFileName.historyFile(3));
    assertThrows(IllegalArgumentException.class, () -> WalFileName.timelineOf("RECOVERYHISTORY"));
  }
}
