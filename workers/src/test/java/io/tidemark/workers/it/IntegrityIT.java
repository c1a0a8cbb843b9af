package io.tidemark.workers.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.tidemark.activities.repository.ObjectWriter;
import io.tidemark.activities.repository.Repository;
import io.tidemark.activities.repository.RepositoryLayout;
import io.tidemark.activities.transfer.Ndjson;
import io.tidemark.activities.transfer.StoredFile;
import io.tidemark.infra.FreePorts;
import io.tidemark.infra.postgres.LocalPostgres;
import io.tidemark.infra.postgres.PostgresBinaries;
import io.tidemark.workflows.Failures;
import io.tidemark.workflows.TaskQueues;
import io.tidemark.workflows.model.BackupRecord;
import io.tidemark.workflows.model.NodeBackupRecord;
import io.tidemark.workflows.model.WalFileName;
import io.tidemark.workflows.restore.ClusterRestoreWorkflow;
import io.tidemark.workflows.restore.NodeTarget;
import io.tidemark.workflows.restore.RecoveryTarget;
import io.tidemark.workflows.restore.RestoreRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup nobody can verify is a hope: PostgreSQL's own pg_verifybackup on restored files,
 * tidemark validate on damaged and missing objects and WAL, a recovery across a lost WAL file,
 * and a data page that was already damaged when it was backed up.
 */
class IntegrityIT {

  @TempDir
  Path tmp;

  static String run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(5, TimeUnit.MINUTES));
    return p.exitValue() + "\n" + out;
  }

  private static List<StoredFile> storedFiles(Repository repo, String cluster, BackupRecord b) throws Exception {
    NodeBackupRecord n = b.nodes().get(0);
    List<StoredFile> all = new ArrayList<>();
    for (int batch = 0; batch < n.batches(); batch++) {
      Ndjson.forEach(repo, RepositoryLayout.node(cluster, b.id(), "n1") + RepositoryLayout.storedFiles(n.session(), batch),
          StoredFile.class, all::add);
    }
    return all;
  }

  private static ApplicationFailure restoreFails(TestSetup setup, RestoreRequest request) {
    ClusterRestoreWorkflow wf = setup.client().newWorkflowStub(ClusterRestoreWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId("restore-" + UUID.randomUUID()).setTaskQueue(TaskQueues.SHARED).build());
    Throwable t = assertThrows(WorkflowFailedException.class, () -> wf.restore(request));
    ApplicationFailure deepest = null;
    for (; t != null; t = t.getCause()) {
      if (t instanceof ApplicationFailure) {
        deepest = (ApplicationFailure) t;
      }
    }
    return deepest;
  }

  @Test
  void pgVerifybackupChecksARestoredDirectoryAndCatchesAnAlteredFile() throws Exception {
    Path verify = PostgresBinaries.system(15).map(b -> b.resolve("pg_verifybackup")).orElse(null);
    Assumptions.assumeTrue(verify != null && Files.isExecutable(verify), "PostgreSQL 15's pg_verifybackup is installed");
    String cluster = "verify";
    try (TestSetup setup = new TestSetup("verify");
        LocalPostgres pg = LocalPostgres.start(15,
            LocalPostgres.Options.defaults().withArchiveCommand(setup.archiveCommand(cluster, "n1")));
        Connection c = pg.connect()) {
      setup.node(cluster, TestSetup.Node.of("n1", pg)).startWorker();
      RestoreEndToEndIT.query(c, "SELECT count(*) FROM (SELECT 1) x");
      try (var st = c.createStatement()) {
        st.execute("CREATE TABLE t AS SELECT g AS id, md5(g::text) AS v FROM generate_series(1, 20000) g");
        // Over 32 MiB of hex (which compresses about 2×): stored in pieces, restored side by side.
        st.execute("CREATE TABLE big AS SELECT g AS id, (SELECT string_agg(md5((g * 10 + k)::text), '')"
            + " FROM generate_series(1, 8) k) AS v FROM generate_series(1, 140000) g");
      }
      BackupRecord backup = setup.backupStub(cluster).backup(TestSetup.request(cluster));
      String bigFile = RestoreEndToEndIT.query(c, "SELECT pg_relation_filepath('big')");
      StoredFile big = storedFiles(setup.repository(), cluster, backup).stream()
          .filter(f -> f.path().equals(bigFile)).findFirst().orElseThrow();
      assertTrue(big.pieces() != null && big.pieces().count() >= 2, "the big table is stored in pieces: " + big);
      assertTrue(big.length() * 8 > big.size(), "and compressed so little that they are decoded side by side: " + big);
      Path dir = tmp.resolve("restored");
      BadInputIT.Run restore = BadInputIT.tidemark(setup.configFile, "restore", "--cluster", cluster, "--to",
          "n1:" + dir + ":" + FreePorts.loopback(), "--no-start", "--wait");
      assertEquals(0, restore.status(), restore.err());

      String passed = run(List.of(verify.toString(), "--no-parse-wal", dir.toString()));
      assertTrue(passed.startsWith("0\n") && passed.contains("backup successfully verified"), passed);

      String relation = RestoreEndToEndIT.query(c, "SELECT pg_relation_filepath('t')");
      Path file = dir.resolve(relation);
      byte[] bytes = Files.readAllBytes(file);
      bytes[bytes.length / 2] ^= 0x01;
      Files.write(file, bytes);
      String failed = run(List.of(verify.toString(), "--no-parse-wal", dir.toString()));
      assertNotEquals('0', failed.charAt(0), failed);
      assertTrue(failed.contains(relation) && failed.contains("checksum mismatch"), failed);
      assertEquals(BackupRecord.COMPLETED, backup.status());
      assertTrue(Files.readString(dir.resolve("backup_manifest")).contains("\"Checksum-Algorithm\": \"CRC32C\""));

      // SHA-256 on request, from the command line this time.
      BadInputIT.Run sha = BadInputIT.tidemark(setup.configFile, "backup", "--cluster", cluster,
          "--manifest-checksum", "SHA256", "--wait");
      assertEquals(0, sha.status(), sha.err());
      Path shaDir = tmp.resolve("restored-sha256");
      restore = BadInputIT.tidemark(setup.configFile, "restore", "--cluster", cluster, "--to",
          "n1:" + shaDir + ":" + FreePorts.loopback(), "--no-start", "--wait");
      assertEquals(0, restore.status(), restore.err());
      String manifest = Files.readString(shaDir.resolve("backup_manifest"));
      assertTrue(manifest.contains("\"Checksum-Algorithm\": \"SHA256\"") && !manifest.contains("CRC32C"), manifest);
      String shaPassed = run(List.of(verify.toString(), "--no-parse-wal", shaDir.toString()));
      assertTrue(shaPassed.startsWith("0\n") && shaPassed.contains("backup successfully verified"), shaPassed);
    }
  }

  @Test
  void validateNamesWhatIsDamagedOrMissingAndRecoveryStopsAtALostWalFile() throws Exception {
    String cluster = "damage";
    try (TestSetup setup = new TestSetup("damage");
        LocalPostgres pg = LocalPostgres.start(16,
            LocalPostgres.Options.defaults().withArchiveCommand(setup.archiveCommand(cluster, "n1")));
        Connection c = pg.connect()) {
      setup.node(cluster, TestSetup.Node.of("n1", pg)).startWorker();
      RestoreEndToEndIT.query(c, "SELECT 1");
      try (var st = c.createStatement()) {
        st.execute("CREATE TABLE events (id bigserial PRIMARY KEY, phase text NOT NULL)");
      }
      RestoreEndToEndIT.insert(c, "before", 5000);
      BackupRecord older = setup.backupStub(cluster).backup(TestSetup.request(cluster));
      BackupRecord newer = setup.backupStub(cluster).backup(TestSetup.request(cluster));
      Repository repo = setup.repository();

      BadInputIT.Run clean = BadInputIT.tidemark(setup.configFile, "validate", "--cluster", cluster, "--all");
      assertEquals(0, clean.status(), clean.out() + clean.err());
      assertTrue(clean.out().contains("backup " + older.id()) && clean.out().contains("  OK"), clean.out());

      // WAL after both backups, then one file of it lost: a gap.
      for (int i = 0; i < 3; i++) {
        RestoreEndToEndIT.insert(c, "after-" + i, 2000);
        RestoreEndToEndIT.awaitArchived(setup, cluster, RestoreEndToEndIT.query(c, "SELECT pg_walfile_name(pg_switch_wal())"));
      }
      String time = RestoreEndToEndIT.query(c, "SELECT clock_timestamp()::text");
      RestoreEndToEndIT.insert(c, "after-target", 10);
      RestoreEndToEndIT.awaitArchived(setup, cluster, RestoreEndToEndIT.query(c, "SELECT pg_walfile_name(pg_switch_wal())"));
      NodeBackupRecord newerNode = newer.nodes().get(0);
      long size = newerNode.walSegmentSize();
      String lost = WalFileName.segmentName(1, WalFileName.segmentNumberOf(newerNode.stopWal(), size) + 2, size);
      repo.delete(RepositoryLayout.walObject(cluster, "n1", lost));

      // In the newer backup: one object damaged, another gone.
      List<StoredFile> files = storedFiles(repo, cluster, newer);
      String nodePrefix = RepositoryLayout.node(cluster, newer.id(), "n1");
      StoredFile damaged = files.stream().filter(f -> f.length() > 100).findFirst().orElseThrow();
      byte[] pack = repo.readAllBytes(nodePrefix + damaged.pack());
      pack[(int) (damaged.offset() + damaged.length() / 2)] ^= 0x20;
      try (ObjectWriter w = repo.create(nodePrefix + damaged.pack(), pack.length)) {
        w.write(pack);
        w.commit();
      }
      StoredFile gone = files.stream().filter(f -> !f.pack().equals(damaged.pack())).findFirst().orElseThrow();
      repo.delete(nodePrefix + gone.pack());

      BadInputIT.Run report = BadInputIT.tidemark(setup.configFile, "validate", "--cluster", cluster, "--backup",
          newer.id());
      assertEquals(1, report.status(), report.out());
      assertTrue(report.out().contains("DAMAGED OBJECT on node n1: " + nodePrefix + damaged.pack())
          && report.out().contains(damaged.path()), report.out());
      assertTrue(report.out().contains("MISSING OBJECT on node n1: " + nodePrefix + gone.pack())
          && report.out().contains(gone.path()), report.out());
      assertTrue(report.out().contains("WAL GAP on node n1: " + lost + ".." + lost), report.out());

      // The older backup is whole, but a recovery past the lost WAL file must stop and say which.
      ApplicationFailure f = restoreFails(setup, new RestoreRequest(cluster, older.id(), RecoveryTarget.atTime(time), null,
          null, "promote", "off", null, List.of(NodeTarget.of("n1", tmp.resolve("pitr").toString(), FreePorts.loopback())
              .withSettings(Map.of("unix_socket_directories", "")))));
      assertEquals(Failures.RECOVERY_FAILED, f.getType(), f.getOriginalMessage());
      assertTrue(f.getOriginalMessage().contains("The archive has no WAL file " + lost), f.getOriginalMessage());

      // A WAL file the backup itself needs: refused before anything is written.
      repo.delete(RepositoryLayout.walObject(cluster, "n1", newerNode.stopWal()));
      Path untouched = tmp.resolve("never-written");
      ApplicationFailure early = restoreFails(setup, new RestoreRequest(cluster, newer.id(), null, null, null, null, null,
          null, List.of(NodeTarget.of("n1", untouched.toString(), FreePorts.loopback()))));
      assertEquals(Failures.CORRUPT_BACKUP, early.getType());
      assertTrue(early.getOriginalMessage().contains(newerNode.stopWal() + " is missing from the archive"),
          early.getOriginalMessage());
      assertTrue(Files.notExists(untouched));
      BadInputIT.Run again = BadInputIT.tidemark(setup.configFile, "validate", "--cluster", cluster, "--backup",
          newer.id(), "--output", "json");
      assertEquals(1, again.status());
      assertTrue(again.out().contains("\"kind\" : \"missing-wal\"") && again.out().contains(newerNode.stopWal()),
          again.out());
    }
  }

  @Test
  void aDataPageDamagedBeforeTheBackupIsReportedAndTheBackupCompletes() throws Exception {
    String cluster = "pages";
    try (TestSetup setup = new TestSetup("pages");
        LocalPostgres pg = LocalPostgres.start(17, LocalPostgres.Options.defaults()
            .withArchiveCommand(setup.archiveCommand(cluster, "n1")).withSettings(List.of("autovacuum = off")))) {
      setup.node(cluster, TestSetup.Node.of("n1", pg)).startWorker();
      String relation;
      try (Connection c = pg.connect(); var st = c.createStatement()) {
        st.execute("CREATE TABLE victim AS SELECT g AS id, repeat('x', 100) AS v FROM generate_series(1, 2000) g");
        st.execute("CHECKPOINT");
        relation = RestoreEndToEndIT.query(c, "SELECT pg_relation_filepath('victim')");
      }
      pg.stop();
      Path file = pg.dataDirectory().resolve(relation);
      byte[] bytes = Files.readAllBytes(file);
      bytes[8192 + 5000] ^= 0x08; // block 1, in the tuples
      Files.write(file, bytes);
      pg.restart();

      BackupRecord backup = setup.backupStub(cluster).backup(TestSetup.request(cluster));
      assertEquals(BackupRecord.COMPLETED, backup.status(), "a damaged page is reported, not fatal");
      NodeBackupRecord node = backup.nodes().get(0);
      assertEquals(1, node.corruptPages(), "exactly the damaged page, and no false alarm among the others");
      assertEquals(List.of(relation + " block 1"), node.corruptPageSamples());
      BadInputIT.Run show = BadInputIT.tidemark(setup.configFile, "show", "--cluster", cluster);
      assertTrue(show.out().contains("WARNING: node n1 had 1 data page(s) whose checksum failed when copied: "
          + relation + " block 1"), show.out());
    }
  }
}
