package io.tidemark.activities.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tidemark.activities.repository.LocalRepository;
import io.tidemark.activities.repository.RepositoryLayout;
import io.tidemark.workflows.model.BackupRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupCatalogTest {

  @TempDir
  Path tmp;

  static BackupRecord record(String id, String status) {
    String day = "2026-11-" + id.substring(6, 8);
    return new BackupRecord(BackupRecord.FORMAT, id, "main", "full", null, status,
        status.equals(BackupRecord.FAILED) ? "pg1 failed" : null, day + "T10:00:00Z", day + "T10:30:00Z", 1_800_000,
        "w", List.of());
  }

  @Test
  void theNewestCompletedBackupPassesOverNewerFailedAndUnfinishedOnes() throws Exception {
    LocalRepository repo = new LocalRepository(tmp);
    BackupCatalog catalog = new BackupCatalog(repo);
    assertEquals(Optional.empty(), catalog.newestCompleted("main"), "no backups at all");
    catalog.commit(record("20261119-100000F", BackupRecord.COMPLETED));
    catalog.commit(record("20261121-100000F", BackupRecord.COMPLETED));
    catalog.commit(record("20261120-100000F", BackupRecord.COMPLETED)); // committed out of order: ids decide
    repo.put(RepositoryLayout.backup("main", "20261122-100000F") + "pg1/s1/backup_label", new byte[1]);
    catalog.commit(record("20261122-100000F", BackupRecord.FAILED));
    repo.put(RepositoryLayout.backup("main", "20261123-100000F") + "pg1/s1/backup_label", new byte[1]); // running
    assertEquals("20261121-100000F", catalog.newestCompleted("main").orElseThrow().id());
    assertEquals(Optional.empty(), catalog.newestCompleted("other"));
  }
}
