package io.tidemark.activities.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.activities.config.RetentionSettings;
import io.tidemark.workflows.activities.RetentionActivities.Expiry;
import io.tidemark.workflows.activities.RetentionActivities.RetentionPlan;
import io.tidemark.workflows.activities.RetentionActivities.WalCutoff;
import io.tidemark.workflows.model.BackupRecord;
import io.tidemark.workflows.model.NodeBackupRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetentionPolicyTest {

  static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

  /** A backup of two nodes that ended {@code daysAgo} days before NOW; its WAL starts at segment {@code seg}. */
  static BackupRecord backup(String id, String status, double daysAgo, int seg) {
    String stop = NOW.minusSeconds((long) (daysAgo * 86400)).toString();
    List<NodeBackupRecord> nodes = new ArrayList<>();
    for (String node : List.of("n1", "n2")) {
      nodes.add(new NodeBackupRecord(node, status, null, 1, 170000, "1", 1, "0/1", "0/2",
          String.format("00000001%08X%08X", 0, seg), String.format("00000001%08X%08X", 0, seg + 1), 16 << 20,
          stop, stop, 1, 1, 1, 1, true, false, 0, null, null));
    }
    return new BackupRecord(BackupRecord.FORMAT, id, "main", "full", null, status, null, stop, stop, 1, "w", nodes);
  }

  static List<BackupRecord> week() {
    // one a day, the newest yesterday; the one three days ago failed
    List<BackupRecord> r = new ArrayList<>();
    for (int day = 7; day >= 1; day--) {
      r.add(backup(String.format("202611%02d-020000F", 22 - day), day == 3 ? BackupRecord.FAILED : BackupRecord.COMPLETED,
          day, 100 - day * 10));
    }
    return r;
  }

  private static List<String> ids(List<Expiry> e) {
    return e.stream().map(Expiry::backupId).toList();
  }

  @Test
  void keepsTheNewestFullCompletedBackupsAndExpiresFailedOnesBeforeThem() {
    RetentionPlan plan = new RetentionPolicy(new RetentionSettings(2, null)).plan("main", week(), List.of(), Map.of(), NOW);
    // completed: 15..18 (days 7..4), 20, 21 (days 2, 1); failed: 19 (day 3)
    assertEquals(List.of("20261120-020000F", "20261121-020000F"), plan.kept());
    assertEquals(List.of("20261115-020000F", "20261116-020000F", "20261117-020000F", "20261118-020000F",
        "20261119-020000F"), ids(plan.expire()));
    assertEquals(BackupRecord.FAILED, plan.expire().get(4).status());
    assertTrue(plan.expire().get(4).reason().contains("failed"), plan.expire().get(4).reason());
    // WAL is kept from the oldest kept backup's first segment, on every node
    assertEquals(List.of(new WalCutoff("n1", "000000010000000000000050"), new WalCutoff("n2", "000000010000000000000050")),
        plan.walCutoffs());
  }

  @Test
  void aRecoveryWindowKeepsTheBackupsInsideItAndTheNewestOneBefore() {
    RetentionPlan plan = new RetentionPolicy(new RetentionSettings(null, 3)).plan("main", week(), List.of(), Map.of(), NOW);
    // window start: day 3 → completed after it: days 2, 1; the newest at or before it: day 4 (day 3 failed)
    assertEquals(List.of("20261118-020000F", "20261120-020000F", "20261121-020000F"), plan.kept());
    assertEquals(List.of("20261115-020000F", "20261116-020000F", "20261117-020000F", "20261119-020000F"),
        ids(plan.expire()));
    assertEquals("00000001000000000000003C", plan.walCutoffs().get(0).keepFrom());
  }

  @Test
  void eitherRuleKeepsABackup() {
    RetentionPlan plan = new RetentionPolicy(new RetentionSettings(5, 1)).plan("main", week(), List.of(), Map.of(), NOW);
    assertEquals(List.of("20261116-020000F", "20261117-020000F", "20261118-020000F", "20261120-020000F",
        "20261121-020000F"), plan.kept());
    assertEquals(List.of("20261115-020000F", "20261119-020000F"), ids(plan.expire()));
  }

  @Test
  void theNewestCompletedBackupIsAlwaysKeptAndNewerFailedOnesWait() {
    List<BackupRecord> records = new ArrayList<>(List.of(
        backup("20261101-000000F", BackupRecord.COMPLETED, 20, 10),
        backup("20261102-000000F", BackupRecord.FAILED, 19, 20)));
    RetentionPlan plan = new RetentionPolicy(new RetentionSettings(null, 1)).plan("main", records, List.of(), Map.of(), NOW);
    assertEquals(List.of("20261101-000000F", "20261102-000000F"), plan.kept());
    assertEquals(List.of(), plan.expire());
  }

  @Test
  void aBackupARunningRestoreReadsIsKept() {
    RetentionPlan plan = new RetentionPolicy(new RetentionSettings(1, null)).plan("main", week(), List.of(),
        Map.of("20261116-020000F", "tidemark-restore-main-x"), NOW);
    assertEquals(List.of("20261116-020000F", "20261121-020000F"), plan.kept());
    assertEquals(new WalCutoff("n1", "000000010000000000000028"), plan.walCutoffs().get(0), "its WAL stays too");
  }

  @Test
  void foldersWithoutARecordGoOnceANewerBackupCompleted() {
    RetentionPlan plan = new RetentionPolicy(new RetentionSettings(7, null)).plan("main", week(),
        List.of("20261114-010000F", "20261122-010000F"), Map.of(), NOW);
    assertEquals(List.of("20261114-010000F", "20261119-020000F"), ids(plan.expire()));
    assertEquals(RetentionPolicy.UNRECORDED, plan.expire().get(0).status());
  }

  @Test
  void withoutCompletedBackupsNothingGoes() {
    RetentionPlan plan = new RetentionPolicy(new RetentionSettings(1, null)).plan("main",
        List.of(backup("20261101-000000F", BackupRecord.FAILED, 3, 1)), List.of("20261102-000000F"), Map.of(), NOW);
    assertEquals(List.of(), plan.expire());
    assertEquals(List.of(), plan.walCutoffs());
  }

  @Test
  void aPolicyNeedsARule() {
    assertThrows(IllegalArgumentException.class, () -> new RetentionPolicy(RetentionSettings.NONE));
    assertEquals("keep the newest 1 completed backup and keep what restores to any moment of the last 7 days",
        new RetentionPolicy(new RetentionSettings(1, 7)).describe());
  }
}
