package io.tidemark.workers.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.Zstd;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import io.tidemark.activities.backup.BackupCatalog;
import io.tidemark.activities.postgres.BackupLabel;
import io.tidemark.activities.repository.Repository;
import io.tidemark.activities.repository.RepositoryLayout;
import io.tidemark.activities.transfer.FrameReader;
import io.tidemark.activities.transfer.Ndjson;
import io.tidemark.activities.transfer.StoredFile;
import io.tidemark.infra.postgres.LocalPostgres;
import io.tidemark.infra.postgres.PostgresBinaries;
import io.tidemark.workers.Main;
import io.tidemark.workflows.WorkflowIds;
import io.tidemark.workflows.backup.ClusterBackupWorkflow;
import io.tidemark.workflows.model.BackupRecord;
import io.tidemark.workflows.model.NodeBackupRecord;
import io.tidemark.workflows.model.WalFileName;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real PostgreSQL server of every supported major version, taking writes, backed up through the
 * ClusterBackup workflow into the S3 server, with WAL archived by the real launcher. Then the
 * repository is checked against the data directory, file by file.
 */
class BackupEndToEndIT {

  /** What PostgreSQL's documentation says a base backup leaves out (the test's own oracle). */
  private static boolean mustBeLeftOut(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    for (String dir : List.of("pg_wal/", "pg_stat_tmp/", "pg_replslot/", "pg_dynshmem/", "pg_notify/", "pg_serial/",
        "pg_snapshots/", "pg_subtrans/")) {
      if (path.startsWith(dir)) {
        return true;
      }
    }
    return List.of("postmaster.pid", "postmaster.opts", "backup_label", "tablespace_map").contains(path)
        || name.startsWith("pg_internal.init") || path.contains("pgsql_tmp");
  }

  /** Every bundled major, and the system's own PostgreSQL 15 (Debian's) where it is installed. */
  @ParameterizedTest(name = "PostgreSQL {0}")
  @ValueSource(strings = {"13", "14", "15", "16", "17", "18", "system-15"})
  void backsUpARunningServer(String version) throws Exception {
    boolean system = version.startsWith("system-");
    int major = Integer.parseInt(version.replace("system-", ""));
    Assumptions.assumeTrue(!system || PostgresBinaries.system(major).isPresent(), "no system PostgreSQL " + major);
    Path bin = system ? PostgresBinaries.system(major).orElseThrow() : PostgresBinaries.bundled(major);
    String cluster = "pg" + version.replace("system-", "sys");
    try (TestSetup setup = new TestSetup("backup-" + version);
        LocalPostgres pg = LocalPostgres.start(bin, major,
            LocalPostgres.Options.defaults().withArchiveCommand(setup.archiveCommand(cluster, "n1")))) {
      setup.node(cluster, TestSetup.Node.of("n1", pg)).startWorker();
      try (Connection c = pg.connect(); Statement st = c.createStatement()) {
        st.execute("CREATE TABLE cold (id int PRIMARY KEY, payload text)");
        st.execute("INSERT INTO cold SELECT g, repeat(md5(g::text), 4) FROM generate_series(1, 100000) g");
        st.execute("CREATE TABLE hot (id bigserial PRIMARY KEY, at timestamptz DEFAULT now(), note text)");
        st.execute("CREATE UNLOGGED TABLE scratch AS SELECT g FROM generate_series(1, 1000) g");
        st.execute("CHECKPOINT");
      }
      DirectorySnapshot before = DirectorySnapshot.of(pg.dataDirectory());

      BackupRecord record;
      AtomicLong written = new AtomicLong();
      AtomicBoolean writing = new AtomicBoolean(true);
      Thread writer = new Thread(() -> {
        try (Connection c = pg.connect(); Statement st = c.createStatement()) {
          // Paced: a JVM-per-file archive_command archives a few segments a second, and the test
          // wants continuing writes, not an archive backlog.
          while (writing.get()) {
            st.execute("INSERT INTO hot (note) SELECT repeat('x', 200) FROM generate_series(1, 50)");
            written.addAndGet(50);
            Thread.sleep(10);
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      writer.start();
      try {
        ClusterBackupWorkflow workflow = setup.backupStub(cluster);
        WorkflowClient.start(workflow::backup, TestSetup.request(cluster));
        record = WorkflowStub.fromTyped(workflow).getResult(BackupRecord.class);
      } finally {
        writing.set(false);
        writer.join();
      }
      DirectorySnapshot after = DirectorySnapshot.of(pg.dataDirectory());
      assertTrue(written.get() > 0, "the server took writes during the backup");

      assertEquals(BackupRecord.COMPLETED, record.status());
      NodeBackupRecord node = record.nodes().get(0);
      assertEquals(major, node.pgVersion() / 10000);
      assertEquals(1, node.timeline());
      assertTrue(node.dataChecksums());
      Repository repo = setup.repository();
      assertEquals(record, new BackupCatalog(repo).find(cluster, record.id()).orElseThrow(), "backup.json says the same");

      Map<String, StoredFile> stored = storedFiles(repo, cluster, record.id(), node);
      String nodePrefix = RepositoryLayout.node(cluster, record.id(), "n1");
      for (StoredFile f : stored.values()) {
        FrameReader.read(repo, nodePrefix, f); // throws unless size and CRC-32C match what was recorded
        assertFalse(mustBeLeftOut(f.path()), f.path() + " must not be in a base backup");
      }
      assertEquals(node.files(), stored.size());
      assertTrue(stored.containsKey("global/pg_control"));

      int unchanged = 0;
      for (Map.Entry<String, DirectorySnapshot.Entry> e : before.files().entrySet()) {
        String path = e.getKey();
        DirectorySnapshot.Entry now = after.files().get(path);
        if (now == null || mustBeLeftOut(path)) {
          continue;
        }
        if (isUnloggedFork(path, pg)) {
          assertFalse(stored.containsKey(path), "unlogged relation fork " + path + " is left out");
          continue;
        }
        assertTrue(stored.containsKey(path), path + " existed throughout the backup and must be in it");
        if (now.equals(e.getValue())) {
          unchanged++;
          StoredFile f = stored.get(path);
          assertEquals(now.size(), f.size(), path);
          assertEquals(now.crc(), f.checksum(), path + " did not change, so its copy must be identical");
          assertEquals(Files.readAllBytes(pg.dataDirectory().resolve(path)).length,
              FrameReader.read(repo, nodePrefix, f).length);
        }
      }
      assertTrue(unchanged > 100, "most files did not change during the backup: " + unchanged);

      BackupLabel label = BackupLabel.parse(repo.readAllBytes(nodePrefix + RepositoryLayout.backupLabel(node.session())));
      assertEquals(node.startLsn(), label.startWalLocation(), "backup_label names the start LSN");
      assertEquals(node.startWal(), label.startWalFile());
      assertTrue(label.label().contains(record.id()));

      long first = WalFileName.segmentNumberOf(node.startWal(), node.walSegmentSize());
      long last = WalFileName.segmentNumberOf(node.stopWal(), node.walSegmentSize());
      for (long seg = first; seg <= last; seg++) {
        String name = WalFileName.segmentName(1, seg, node.walSegmentSize());
        byte[] compressed = repo.readAllBytes(RepositoryLayout.walObject(cluster, "n1", name));
        assertEquals(node.walSegmentSize(), Zstd.decompress(compressed, (int) node.walSegmentSize()).length, name);
      }

      // The archiver gets past the backup's last segment without a single failure.
      awaitArchiverPast(pg, node.stopWal());
      assertFalse(pg.serverLog().contains("archive command failed"), "archiving never failed:\n" + pg.serverLog());
      try (Connection c = pg.connect(); Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'tidemark%'")) {
        rs.next();
        assertEquals(0, rs.getInt(1), "the backup session's connection is closed");
      }

      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int status = Main.run(new String[] {"--config", setup.configFile.toString(), "show", "--cluster", cluster,
          "--output", "json"}, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
      assertEquals(0, status);
      assertTrue(out.toString(StandardCharsets.UTF_8).contains("\"id\" : \"" + record.id() + "\""));

      Histories.replay(setup.client(), WorkflowIds.backup(cluster),
          WorkflowIds.nodeBackup(WorkflowIds.backup(cluster), record.id(), "n1"));
    }
  }

  private static Map<String, StoredFile> storedFiles(Repository repo, String cluster, String id, NodeBackupRecord node)
      throws Exception {
    Map<String, StoredFile> stored = new HashMap<>();
    String prefix = RepositoryLayout.node(cluster, id, node.node());
    for (int b = 0; b < node.batches(); b++) {
      Ndjson.forEach(repo, prefix + RepositoryLayout.storedFiles(node.session(), b), StoredFile.class,
          f -> assertEquals(null, stored.put(f.path(), f), "stored once: " + f.path()));
    }
    return stored;
  }

  /** A non-init fork of a relation that has an init fork. */
  private static boolean isUnloggedFork(String path, LocalPostgres pg) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    if (!path.startsWith("base/") || !name.matches("\\d+(_fsm|_vm)?(\\.\\d+)?")) {
      return false;
    }
    String relfilenode = name.replaceAll("[_.].*", "");
    return Files.exists(pg.dataDirectory().resolve(path).resolveSibling(relfilenode + "_init"));
  }


  /** Waits until PostgreSQL's archiver has archived {@code segment} or a later file, without a failure. */
  static void awaitArchiverPast(LocalPostgres pg, String segment) throws Exception {
    for (int i = 0; i < 600; i++) {
      try (Connection c = pg.connect(); Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT coalesce(last_archived_wal, ''), failed_count FROM pg_stat_archiver")) {
        rs.next();
        assertEquals(0, rs.getLong(2), "the archiver never failed:\n" + pg.serverLog());
        if (rs.getString(1).compareTo(segment) >= 0) {
          return;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the archiver did not get past " + segment + ":\n" + pg.serverLog());
  }
}
