package io.tidemark.activities.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.failure.ApplicationFailure;
import io.tidemark.activities.backup.BackupCatalog;
import io.tidemark.activities.config.ConfigLoader;
import io.tidemark.activities.config.TidemarkConfig;
import io.tidemark.activities.repository.LocalRepository;
import io.tidemark.activities.repository.RepositoryLayout;
import io.tidemark.activities.wal.WalArchive;
import io.tidemark.workflows.Failures;
import io.tidemark.workflows.activities.ClusterActivities.RestorePlan;
import io.tidemark.workflows.model.BackupRecord;
import io.tidemark.workflows.model.NodeBackupRecord;
import io.tidemark.workflows.model.RestorePoint;
import io.tidemark.workflows.restore.NodeTarget;
import io.tidemark.workflows.restore.RecoveryTarget;
import io.tidemark.workflows.restore.RestoreRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestorePlannerTest {

  @TempDir
  Path tmp;
  RestorePlanner planner;
  BackupCatalog catalog;

  static NodeBackupRecord node(String stopLsn) {
    return node("pg1", stopLsn);
  }

  static NodeBackupRecord node(String name, String stopLsn) {
    return new NodeBackupRecord(name, BackupRecord.COMPLETED, null, 1, 150004, "1", 1, "0/2000028", stopLsn,
        "000000010000000000000002", "000000010000000000000005", 16L << 20, "2026-11-21T10:00:00Z",
        "2026-11-21T10:05:00Z", 10, 100, 10, 2, true, false, 0, null, null);
  }

  static BackupRecord record(String id, String status, String stopTime) {
    return new BackupRecord(1, id, "main", "full", null, status, null, "2026-11-21T10:00:00Z", stopTime, 1000, "w",
        List.of(node("0/5000100")));
  }

  @BeforeEach
  void setUp() throws Exception {
    LocalRepository repo = new LocalRepository(tmp);
    catalog = new BackupCatalog(repo);
    TidemarkConfig config = new ConfigLoader(Map.<String, String>of()::get).parse("""
        repository:
          local:
            path: /x
        clusters:
          main:
            nodes:
              - name: pg1
                dataDirectory: /d
                taskQueue: agents-a
          dist:
            afterRestore:
              - UPDATE nodes SET port = ${seg1.port} WHERE port = ${seg1.sourcePort}
            nodes:
              - name: seg1
                role: segment
                port: 6001
                dataDirectory: /d1
              - name: coord
                role: coordinator
                host: 10.1.1.1
                port: 6000
                dataDirectory: /d0
        """, "t");
    planner = new RestorePlanner(config, catalog, new WalArchive(repo));
    for (String segment : List.of("000000010000000000000002", "000000010000000000000003", "000000010000000000000004",
        "000000010000000000000005")) {
      repo.put(RepositoryLayout.walObject("main", "pg1", segment), new byte[1]);
    }
    catalog.commit(record("20261121-100000F", BackupRecord.COMPLETED, "2026-11-21T10:05:00Z"));
    catalog.commit(record("20261121-110000F", BackupRecord.COMPLETED, "2026-11-21T11:05:00Z"));
    repo.put("main/backups/20261121-120000F/pg1/s1/x", new byte[1]);
    catalog.commit(record("20261121-120000F", BackupRecord.FAILED, "2026-11-21T12:05:00Z"));

    for (String n : List.of("coord", "seg1")) {
      for (int segment = 2; segment <= 6; segment++) {
        repo.put(RepositoryLayout.walObject("dist", n, "00000001000000000000000" + segment), new byte[1]);
      }
    }
    catalog.commit(new BackupRecord(1, "20261121-130000F", "dist", "full", null, BackupRecord.COMPLETED, null,
        "2026-11-21T13:00:00Z", "2026-11-21T13:05:00Z", 1000, "w", List.of(node("coord", "0/5000100"),
        node("seg1", "0/5000100")), new RestorePoint("tidemark-20261121-130000F", "postgres", "2026-11-21T13:05:01Z",
        List.of(new RestorePoint.Node("coord", "0/6000090", 1, "000000010000000000000006"),
            new RestorePoint.Node("seg1", "0/6000090", 1, "000000010000000000000006")))));
  }

  private static RestoreRequest distRequest(RecoveryTarget target) {
    return new RestoreRequest("dist", null, target, null, null, null, null, null,
        List.of(NodeTarget.of("coord", "/r0", 7000), NodeTarget.of("seg1", "/r1", 7001)));
  }

  private static RestoreRequest request(String backup, RecoveryTarget target, String node) {
    return new RestoreRequest("main", backup, target, null, null, null, null, null, List.of(NodeTarget.of(node, "/r", 5433)));
  }

  private ApplicationFailure fails(RestoreRequest r) {
    return assertThrows(ApplicationFailure.class, () -> planner.plan(r));
  }

  @Test
  void latestIsTheNewestCompletedBackupAndQueuesComeFromTheConfiguration() throws Exception {
    RestorePlan plan = planner.plan(request(null, null, "pg1"));
    assertEquals("20261121-110000F", plan.backup().id());
    assertEquals(List.of("agents-a"), plan.taskQueues());
  }

  @Test
  void refusesUnknownAndFailedBackups() {
    ApplicationFailure unknown = fails(request("20200101-000000F", null, "pg1"));
    assertEquals(Failures.UNKNOWN_BACKUP, unknown.getType());
    assertTrue(unknown.getOriginalMessage().contains("[20261121-100000F, 20261121-110000F, 20261121-120000F]"));
    assertTrue(fails(request("20261121-120000F", null, "pg1")).getOriginalMessage().contains("did not complete"));
  }

  @Test
  void refusesTargetsBeforeTheBackupEnded() {
    assertEquals(Failures.TARGET_BEFORE_BACKUP,
        fails(request("20261121-100000F", RecoveryTarget.atLsn("0/5000000"), "pg1")).getType());
    assertEquals(Failures.TARGET_BEFORE_BACKUP,
        fails(request("20261121-100000F", RecoveryTarget.atTime("2026-11-21 10:04:59+00"), "pg1")).getType());
    assertEquals(Failures.TARGET_BEFORE_BACKUP,
        fails(request("20261121-100000F", RecoveryTarget.atTime("2026-11-21 12:04:59+02"), "pg1")).getType(),
        "offsets count");
  }

  @Test
  void acceptsTargetsAfterTheBackupInPostgresAndIsoForms() throws Exception {
    for (String time : List.of("2026-11-21 10:05:01+00", "2026-11-21 10:05:00.123456+00", "2026-11-21T10:06:00Z",
        "2026-11-21 12:05:01+02:00")) {
      assertEquals("20261121-100000F", planner.plan(request("20261121-100000F", RecoveryTarget.atTime(time), "pg1"))
          .backup().id(), time);
    }
    planner.plan(request("20261121-100000F", RecoveryTarget.atLsn("0/5000100"), "pg1"));
    ApplicationFailure noOffset = fails(request("20261121-100000F", RecoveryTarget.atTime("2026-11-21 10:06:00"), "pg1"));
    assertTrue(noOffset.getOriginalMessage().contains("with its offset"));
  }

  @Test
  void aBackupWhoseWalIsIncompleteIsRefusedNamingTheMissingFile() throws Exception {
    new LocalRepository(tmp).delete(RepositoryLayout.walObject("main", "pg1", "000000010000000000000004"));
    ApplicationFailure f = fails(request("20261121-100000F", null, "pg1"));
    assertEquals(Failures.CORRUPT_BACKUP, f.getType());
    assertTrue(f.getOriginalMessage().contains("000000010000000000000004 is missing"), f.getOriginalMessage());
  }

  @Test
  void aClusterIsRestoredWhole() {
    assertTrue(fails(request(null, null, "pg2")).getOriginalMessage().contains("has no node 'pg2'"));
  }

  @Test
  void aBackupWithoutARestorePointIsRestoredToItsEndByDefault() throws Exception {
    assertEquals(RecoveryTarget.immediateTarget(), planner.plan(request(null, null, "pg1")).target());
  }

  @Test
  void aClusterGoesToItsRestorePointByDefaultWithItsCoordinatorAndSql() throws Exception {
    RestorePlan plan = planner.plan(distRequest(null));
    assertEquals(RecoveryTarget.atName("tidemark-20261121-130000F"), plan.target());
    assertEquals("coord", plan.coordinator());
    assertEquals(List.of("UPDATE nodes SET port = ${seg1.port} WHERE port = ${seg1.sourcePort}"), plan.afterRestore());
    assertEquals("6001", plan.sourceValues().get("seg1.sourcePort"));
    assertEquals("10.1.1.1", plan.sourceValues().get("coord.sourceHost"));
    assertEquals(List.of("tidemark-node-coord", "tidemark-node-seg1"), plan.taskQueues());
  }

  @Test
  void theRestorePointsWalMustBeArchived() throws Exception {
    new LocalRepository(tmp).delete(RepositoryLayout.walObject("dist", "seg1", "000000010000000000000006"));
    ApplicationFailure f = fails(distRequest(null));
    assertTrue(f.getOriginalMessage().contains("node seg1 needs WAL 000000010000000000000002 to 000000010000000000000006")
        && f.getOriginalMessage().contains("000000010000000000000006 is missing"), f.getOriginalMessage());
    planner.plan(distRequest(RecoveryTarget.atTime("2026-11-21 13:05:30+00"))); // a time needs only the backup's own WAL
  }

  @Test
  void severalNodesGoToOneMomentNotToAPositionInOneNodesWal() throws Exception {
    for (RecoveryTarget t : List.of(RecoveryTarget.atLsn("0/7000000"), RecoveryTarget.atXid("800"),
        RecoveryTarget.immediateTarget())) {
      ApplicationFailure f = fails(distRequest(t));
      assertEquals(Failures.INVALID_REQUEST, f.getType());
      assertTrue(f.getOriginalMessage().contains("has 2 nodes, and a '" + t.kind() + "' target")
          && f.getOriginalMessage().contains("{\"name\": \"tidemark-20261121-130000F\"}"), f.getOriginalMessage());
    }
    planner.plan(distRequest(RecoveryTarget.atName("before-upgrade")));
    planner.plan(distRequest(RecoveryTarget.latestTarget()));
  }
}
