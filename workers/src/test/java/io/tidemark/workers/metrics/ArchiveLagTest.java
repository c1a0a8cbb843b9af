package io.tidemark.workers.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ArchiveLagTest {

  static final long MB16 = 16L << 20;

  @Test
  void segmentsBeforeTheOneBeingWrittenThatAreNotArchived() {
    assertEquals(0, ArchiveLag.lag("000000010000000000000004", "000000010000000000000005", MB16), "keeping up");
    assertEquals(3, ArchiveLag.lag("000000010000000000000004", "000000010000000000000008", MB16));
    assertEquals(2, ArchiveLag.lag("0000000100000000000000FE", "000000010000000100000001", MB16),
        "across a log id: FF and 1/00 wait");
    assertEquals(0, ArchiveLag.lag("000000020000000000000009", "000000020000000000000009", MB16),
        "a switch just archived the current one's predecessor name");
  }

  @Test
  void unknownOnAStandbyOrBeforeAnythingWasArchived() {
    assertEquals(-1, ArchiveLag.lag("000000010000000000000004", null, MB16));
    assertEquals(-1, ArchiveLag.lag(null, "000000010000000000000005", MB16));
    assertEquals(-1, ArchiveLag.lag("00000002.history", "000000020000000000000005", MB16));
  }

  @Test
  void aBackupHistoryFileOrPartialSegmentArchivedLastCountsAsItsSegment() {
    assertEquals(0, ArchiveLag.lag("000000010000000000000004.00000028.backup", "000000010000000000000005", MB16),
        "what every backup's stop archives last");
    assertEquals(2, ArchiveLag.lag("000000010000000000000004.00000028.backup", "000000010000000000000007", MB16));
    assertEquals(0, ArchiveLag.lag("000000010000000000000004.partial", "000000020000000000000005", MB16));
  }
}
