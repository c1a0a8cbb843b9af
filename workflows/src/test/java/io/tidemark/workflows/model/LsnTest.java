package io.tidemark.workflows.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LsnTest {

  @Test
  void parsesAndPrintsAsPostgresDoes() {
    Lsn lsn = Lsn.parse("16/B374D848");
    assertEquals(0x16B374D848L, lsn.value());
    assertEquals("16/B374D848", lsn.toString());
    assertEquals("0/0", Lsn.ZERO.toString());
  }

  @Test
  void comparesAsUnsignedPositions() {
    assertTrue(Lsn.parse("1/0").isAfter(Lsn.parse("0/FFFFFFFF")));
    assertTrue(Lsn.parse("FFFFFFFF/0").isAfter(Lsn.parse("7FFFFFFF/0")));
    assertTrue(Lsn.parse("0/10").isBefore(Lsn.parse("0/11")));
  }

  @Test
  void rejectsWhatIsNotAnLsn() {
    for (String bad : new String[] {"", "16", "/1", "1/", "x/1", "1/2/3", "100000000/0"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Lsn.parse(bad), bad);
      assertTrue(e.getMessage().contains("16/B374D848"), "the message shows the expected form");
    }
  }
}
