package io.tidemark.activities.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BackupLabelTest {

  @Test
  void readsWhatPgBackupStopWrites() {
    String label = "START WAL LOCATION: 0/5000028 (file 000000020000000000000005)\n"
        + "CHECKPOINT LOCATION: 0/5000060\nBACKUP METHOD: streamed\nBACKUP FROM: primary\n"
        + "START TIME: 2026-11-21 11:37:37 UTC\nLABEL: tidemark 20261121-113737F quickstart\nSTART TIMELINE: 2\n";
    BackupLabel parsed = BackupLabel.parse(label.getBytes(StandardCharsets.UTF_8));
    assertEquals("0/5000028", parsed.startWalLocation());
    assertEquals("000000020000000000000005", parsed.startWalFile());
    assertEquals(2, parsed.startTimeline());
    assertEquals("tidemark 20261121-113737F quickstart", parsed.label());
  }

  @Test
  void refusesSomethingElse() {
    assertThrows(IllegalArgumentException.class, () -> BackupLabel.parse("hello".getBytes(StandardCharsets.UTF_8)));
  }
}
