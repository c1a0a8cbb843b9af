package io.tidemark.activities.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tidemark.activities.Json;
import io.tidemark.activities.backup.BackupCatalog;
import io.tidemark.activities.repository.LocalRepository;
import io.tidemark.activities.repository.RepositoryLayout;
import io.tidemark.workflows.model.BackupRecord;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gauge of the newest completed backup, as commits move it and as a starting worker learns it. */
class NewestBackupSeedTest {

  @TempDir
  Path tmp;
  SimpleMeterRegistry registry;
  TransferMetrics metrics;
  LocalRepository repo;
  BackupCatalog catalog;

  @BeforeEach
  void setUp() {
    registry = new SimpleMeterRegistry();
    metrics = new TransferMetrics(registry, "local");
    repo = new LocalRepository(tmp.resolve("repo"));
    catalog = new BackupCatalog(repo);
  }

  static BackupRecord record(String id, String status, String stop) {
    return new BackupRecord(BackupRecord.FORMAT, id, "main", "full", null, status, null, "2026-11-21T10:00:00Z", stop,
        0, "w", List.of());
  }

  private Double gauge(String cluster) {
    Gauge g = registry.find(MetricNames.BACKUP_LAST_COMPLETED).tag("cluster", cluster).gauge();
    return g == null ? null : g.value();
  }

  private Double awaitGauge(String cluster, double value) throws InterruptedException {
    for (int i = 0; i < 200 && (gauge(cluster) == null || gauge(cluster) != value); i++) {
      Thread.sleep(25);
    }
    return gauge(cluster);
  }

  private static double seconds(String iso) {
    return Instant.parse(iso).getEpochSecond();
  }

  @Test
  void aCommitSetsTheRecordsStopTimeAndNothingMovesItBack() {
    metrics.backupCommitted(record("20261121-100000F", BackupRecord.COMPLETED, "2026-11-21T10:40:00Z"));
    assertEquals(seconds("2026-11-21T10:40:00Z"), gauge("main"), "the stop time, not the time of the commit");
    metrics.backupCommitted(record("20261122-100000F", BackupRecord.FAILED, "2026-11-22T10:40:00Z"));
    assertEquals(seconds("2026-11-21T10:40:00Z"), gauge("main"), "a failed backup is no good backup");
    metrics.newestCompletedBackup("main", record("20261120-100000F", BackupRecord.COMPLETED, "2026-11-20T10:40:00Z"));
    assertEquals(seconds("2026-11-21T10:40:00Z"), gauge("main"), "a seed read before the commit is older");
  }

  @Test
  void aStartingWorkerLearnsEachClustersNewestCompletedBackupOrZero() throws Exception {
    catalog.commit(record("20261120-100000F", BackupRecord.COMPLETED, "2026-11-20T10:40:00Z"));
    catalog.commit(record("20261121-100000F", BackupRecord.COMPLETED, "2026-11-21T10:40:00Z"));
    repo.put(RepositoryLayout.backup("main", "20261122-100000F") + "pg1/s1/backup_label", new byte[1]);
    catalog.commit(record("20261122-100000F", BackupRecord.FAILED, "2026-11-22T10:40:00Z"));
    try (NewestBackupSeed seed = new NewestBackupSeed(catalog, repo.describe(), List.of("main", "new"), metrics).start()) {
      assertEquals(seconds("2026-11-21T10:40:00Z"), awaitGauge("main", seconds("2026-11-21T10:40:00Z")));
      assertEquals(0.0, awaitGauge("new", 0), "no completed backup at all: 0, so an alert on its age fires");
    }
  }

  @Test
  void aSlowRepositoryDoesNotHoldUpTheStart() throws Exception {
    catalog.commit(record("20261121-100000F", BackupRecord.COMPLETED, "2026-11-21T10:40:00Z"));
    // The newest record is a FIFO: reading it blocks until this test writes into it.
    Path slow = tmp.resolve("repo").resolve(RepositoryLayout.backupRecord("main", "20261122-100000F"));
    Files.createDirectories(slow.getParent());
    assertEquals(0, new ProcessBuilder("mkfifo", slow.toString()).start().waitFor());
    long started = System.nanoTime();
    try (NewestBackupSeed seed = new NewestBackupSeed(catalog, repo.describe(), List.of("main"), metrics).start()) {
      assertTrue(System.nanoTime() - started < Duration.ofMillis(500).toNanos(), "start returns at once");
      Thread.sleep(300);
      assertNull(gauge("main"), "still reading");
      try (OutputStream out = Files.newOutputStream(slow)) {
        out.write(Json.bytes(record("20261122-100000F", BackupRecord.COMPLETED, "2026-11-22T10:40:00Z")));
      }
      assertEquals(seconds("2026-11-22T10:40:00Z"), awaitGauge("main", seconds("2026-11-22T10:40:00Z")));
    }
  }

  @Test
  void anUnreadableCatalogIsTriedAgain() throws Exception {
    catalog.commit(record("20261121-100000F", BackupRecord.COMPLETED, "2026-11-21T10:40:00Z"));
    // A record that cannot be read (a directory where the object should be): an error, not "no backup".
    Path broken = tmp.resolve("repo").resolve(RepositoryLayout.backupRecord("main", "20261122-100000F"));
    Files.createDirectories(broken);
    try (NewestBackupSeed seed = new NewestBackupSeed(catalog, repo.describe(), List.of("main"), metrics,
        Duration.ofMillis(300)).start()) {
      Thread.sleep(150);
      assertNull(gauge("main"), "not known: absent, not a guess");
      Files.delete(broken);
      assertEquals(seconds("2026-11-21T10:40:00Z"), awaitGauge("main", seconds("2026-11-21T10:40:00Z")),
          "the retry reads it");
    }
  }
}
