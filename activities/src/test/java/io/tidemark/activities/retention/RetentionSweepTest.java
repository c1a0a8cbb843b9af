package io.tidemark.activities.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.activities.backup.WorkflowLiveness;
import io.tidemark.activities.repository.LocalRepository;
import io.tidemark.activities.repository.RepositoryLayout;
import io.tidemark.activities.retention.RestoreLeases.Lease;
import io.tidemark.activities.runtime.Heartbeat;
import io.tidemark.workflows.activities.RetentionActivities.ExpiredBackup;
import io.tidemark.workflows.activities.RetentionActivities.Expiry;
import io.tidemark.workflows.activities.RetentionActivities.WalExpiry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deleting a backup, a node's old WAL and stale restore leases, in a local repository. */
class RetentionSweepTest {

  @TempDir
  Path dir;
  LocalRepository repo;

  @BeforeEach
  void setUp() {
    repo = new LocalRepository(dir);
  }

  private void put(String key, String content) throws Exception {
    repo.put(key, content.getBytes(StandardCharsets.UTF_8));
  }

  private void wal(String name) throws Exception {
    put(RepositoryLayout.walObject("main", "n1", name), name);
  }

  @Test
  void aBackupGoesRecordFirstThenEveryObjectAndItsFolder() throws Exception {
    String id = "20261120-010000F";
    put(RepositoryLayout.backupRecord("main", id), "{}");
    put(RepositoryLayout.node("main", id, "n1") + RepositoryLayout.pack(1, 0, 1, 0), "pack");
    put(RepositoryLayout.node("main", id, "n1") + RepositoryLayout.storedFiles(1, 0), "files");
    put(RepositoryLayout.node("main", id, "n1") + RepositoryLayout.backupLabel(1), "label");
    put(RepositoryLayout.backupRecord("main", "20261121-010000F"), "{}");
    Expiry expiry = new Expiry(id, "completed", "test");

    ExpiredBackup dry = new BackupDeleter(repo).delete("main", expiry, true, Heartbeat.none());
    assertEquals(4, dry.objects());
    assertEquals(2 + 4 + 5 + 5, dry.bytes());
    assertTrue(repo.exists(RepositoryLayout.backupRecord("main", id)), "a dry run deletes nothing");

    ExpiredBackup done = new BackupDeleter(repo).delete("main", expiry, false, Heartbeat.none());
    assertEquals(dry, done);
    assertFalse(repo.hasAny(RepositoryLayout.backup("main", id)));
    assertFalse(Files.exists(dir.resolve("main/backups/" + id)), "no empty folder is left behind");
    assertTrue(repo.exists(RepositoryLayout.backupRecord("main", "20261121-010000F")), "the other backup stays");

    ExpiredBackup again = new BackupDeleter(repo).delete("main", expiry, false, Heartbeat.none());
    assertEquals(0, again.objects(), "a repeated run finds nothing left and fails on nothing");
  }

  @Test
  void walBeforeTheCutoffGoesOnEveryTimelineAndHistoryFilesStay() throws Exception {
    for (String name : new String[] {"000000010000000000000001", "000000010000000000000002",
        "000000010000000000000002.00000028.backup", "000000010000000000000003", "000000010000000000000004.partial",
        "00000002.history", "000000020000000000000004", "000000020000000000000005", "000000020000000000000006"}) {
      wal(name);
    }
    put(RepositoryLayout.archiveInfo("main", "n1"), "{}");
    WalExpiry dry = new WalExpirer(repo).expire("main", "n1", "000000020000000000000005", true, Heartbeat.none());
    assertEquals(6, dry.files());
    assertTrue(repo.exists(RepositoryLayout.walObject("main", "n1", "000000010000000000000001")));

    WalExpiry done = new WalExpirer(repo).expire("main", "n1", "000000020000000000000005", false, Heartbeat.none());
    assertEquals(6, done.files());
    for (String gone : new String[] {"000000010000000000000001", "000000010000000000000002",
        "000000010000000000000002.00000028.backup", "000000010000000000000003", "000000010000000000000004.partial",
        "000000020000000000000004"}) {
      assertFalse(repo.exists(RepositoryLayout.walObject("main", "n1", gone)), gone);
    }
    for (String kept : new String[] {"00000002.history", "000000020000000000000005", "000000020000000000000006"}) {
      assertTrue(repo.exists(RepositoryLayout.walObject("main", "n1", kept)), kept);
    }
    assertTrue(repo.exists(RepositoryLayout.archiveInfo("main", "n1")));
  }

  @Test
  void leasesOfRunningRestoresKeepTheirBackupAndStaleOnesAreRemoved() throws Exception {
    RestoreLeases leases = new RestoreLeases(repo);
    leases.take("main", new Lease("b1", "tidemark-restore-main-a", "run-a"));
    leases.take("main", new Lease("b2", "ui/started restore", "run-b"));
    WorkflowLiveness onlyA = (workflowId, runId) -> workflowId.equals("tidemark-restore-main-a");

    assertEquals(Map.of("b1", "tidemark-restore-main-a"), leases.inUse("main", onlyA, false));
    assertTrue(repo.exists(RepositoryLayout.restoreLease("main", "ui/started restore")), "a dry run removes nothing");
    assertEquals(Map.of("b1", "tidemark-restore-main-a"), leases.inUse("main", onlyA, true));
    assertFalse(repo.exists(RepositoryLayout.restoreLease("main", "ui/started restore")));
    assertTrue(repo.exists(RepositoryLayout.restoreLease("main", "tidemark-restore-main-a")));
  }
}
