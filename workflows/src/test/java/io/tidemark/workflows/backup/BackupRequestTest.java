package io.tidemark.workflows.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BackupRequestTest {

  @Test
  void fillsInDefaults() {
    BackupRequest r = BackupRequest.of("main").validated();
    assertEquals("full", r.type());
    assertEquals(4, r.parallelism());
    assertEquals("fast", r.checkpoint());
    assertEquals(600, r.walArchiveTimeoutSeconds());
    assertEquals("CRC32C", r.manifestChecksum());
  }

  @Test
  void namesTheFieldAtFaultAndWhatItAccepts() {
    assertMessage(new BackupRequest(null, null, null, null, null, null, null), "'cluster' is required");
    assertMessage(new BackupRequest("main", "incremental", null, null, null, null, null), "'type'", "[full]");
    assertMessage(new BackupRequest("main", null, 0, null, null, null, null), "'parallelism'", "1 to 64");
    assertMessage(new BackupRequest("main", null, 65, null, null, null, null), "'parallelism'");
    assertMessage(new BackupRequest("main", null, null, "two\nlines", null, null, null), "'label'");
    assertMessage(new BackupRequest("main", null, null, null, "slow", null, null), "'checkpoint'", "[fast, spread]");
    assertMessage(new BackupRequest("main", null, null, null, null, 0, null), "'walArchiveTimeoutSeconds'");
    assertMessage(new BackupRequest("main", null, null, null, null, null, 0), "'sessionTimeoutSeconds'");
    assertMessage(new BackupRequest("main", null, null, null, null, null, null, "MD5"), "'manifestChecksum'",
        "[CRC32C, SHA256]");
  }

  private static void assertMessage(BackupRequest request, String... parts) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, request::validated);
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), e.getMessage() + " should mention " + part);
    }
  }

  @Test
  void idsSortByTimeAndSayTheirType() {
    assertEquals("20261121-103000F", BackupIds.of(java.time.Instant.parse("2026-11-21T10:30:00.999Z").toEpochMilli(), "full"));
  }
}
