package io.tidemark.activities.wal.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class SpoolEntryTest {

  @Test
  void theNameCarriesSizeAndChecksumAndReadsBack() {
    SpoolEntry e = new SpoolEntry("0000000100000000000000A3", 16L << 20, 3735928559L);
    assertEquals("0000000100000000000000A3.16777216.3735928559", e.fileName());
    assertEquals(Optional.of(e), SpoolEntry.parse(e.fileName()));
    SpoolEntry history = new SpoolEntry("00000002.history", 42, 7);
    assertEquals(Optional.of(history), SpoolEntry.parse(history.fileName()));
  }

  @Test
  void theChecksumIsWhatPosixCksumPrints() {
    PosixCksum sum = new PosixCksum();
    byte[] b = "123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    sum.update(b, 0, b.length);
    assertEquals(930766865L, sum.value(), "printf 123456789 | cksum");
    assertEquals(4294967295L, new PosixCksum().value(), "cksum of nothing");
    PosixCksum split = new PosixCksum();
    split.update(b, 0, 3);
    split.update(b, 3, 6);
    assertEquals(930766865L, split.value());
  }

  @Test
  void temporaryFilesLogsAndStrangersAreNoEntries() {
    for (String name : new String[] {".0000000100000000000000A3.123-abc.tmp", "activity.log", "activity.log.1",
        "0000000100000000000000A3", "0000000100000000000000A3.16777216", "0000000100000000000000A3.x.1",
        "0000000100000000000000A3.16777216.deadbeef", "0000000100000000000000A3.16777216.4294967296",
        "postgresql.conf.1.1"}) {
      assertTrue(SpoolEntry.parse(name).isEmpty(), name);
    }
  }
}
