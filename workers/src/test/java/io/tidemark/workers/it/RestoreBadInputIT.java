package io.tidemark.workers.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.tidemark.activities.postgres.PgCtl;
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
import io.tidemark.workflows.restore.ClusterRestoreWorkflow;
import io.tidemark.workflows.restore.NodeTarget;
import io.tidemark.workflows.restore.RecoveryTarget;
import io.tidemark.workflows.restore.RestoreRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** A restore that cannot work says why at once, and writes nothing where it was sent. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestoreBadInputIT {

  static final String CLUSTER = "restore-bad";

  @TempDir
  Path tmp;
  TestSetup setup;
  LocalPostgres pg;
  BackupRecord backup;

  @BeforeAll
  void backUp() throws Exception {
    setup = new TestSetup("restore-bad");
    pg = LocalPostgres.start(16, LocalPostgres.Options.defaults().withArchiveCommand(setup.archiveCommand(CLUSTER, "n1")));
    setup.node(CLUSTER, TestSetup.Node.of("n1", pg)).startWorker();
    try (Connection c = pg.connect(); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE t AS SELECT g AS id FROM generate_series(1, 10000) g");
    }
    backup = setup.backupStub(CLUSTER).backup(TestSetup.request(CLUSTER));
  }

  @AfterAll
  void tearDown() throws Exception {
    setup.close();
    pg.close();
  }

  private Path fresh() {
    return tmp.resolve("target-" + UUID.randomUUID());
  }

  private RestoreRequest request(String backupId, RecoveryTarget target, NodeTarget node) {
    return new RestoreRequest(CLUSTER, backupId, target, null, null, "promote", "off", null, List.of(node));
  }

  private ApplicationFailure fails(RestoreRequest request) {
    ClusterRestoreWorkflow workflow = setup.client().newWorkflowStub(ClusterRestoreWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId("restore-" + UUID.randomUUID()).setTaskQueue(TaskQueues.SHARED).build());
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> workflow.restore(request));
    ApplicationFailure deepest = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ApplicationFailure) {
        deepest = (ApplicationFailure) t;
      }
    }
    if (deepest == null) {
      throw new AssertionError(e);
    }
    return deepest;
  }

  private static void assertMessage(ApplicationFailure f, String type, String... parts) {
    assertEquals(type, f.getType(), f.getOriginalMessage());
    for (String p : parts) {
      assertTrue(f.getOriginalMessage().contains(p), f.getOriginalMessage() + "\n  should contain: " + p);
    }
  }

  @Test
  void anUnknownBackupIsNamedAlongWithTheOnesThatExist() {
    Path dir = fresh();
    ApplicationFailure f = fails(request("20200101-000000F", null, NodeTarget.of("n1", dir.toString(), FreePorts.loopback())));
    assertMessage(f, Failures.UNKNOWN_BACKUP, "no backup 20200101-000000F", backup.id());
    assertFalse(Files.exists(dir));
  }

  @Test
  void aTargetBeforeTheBackupEndedIsRefused() {
    Path dir = fresh();
    NodeTarget node = NodeTarget.of("n1", dir.toString(), FreePorts.loopback());
    assertMessage(fails(request(backup.id(), RecoveryTarget.atLsn("0/1000000"), node)), Failures.TARGET_BEFORE_BACKUP,
        "LSN 0/1000000 is before the end of backup " + backup.id());
    assertMessage(fails(request(backup.id(), RecoveryTarget.atTime("2000-01-01 00:00:00+00"), node)),
        Failures.TARGET_BEFORE_BACKUP, "time 2000-01-01 00:00:00+00");
    assertMessage(fails(request(backup.id(), RecoveryTarget.atTime("yesterday"), node)), Failures.INVALID_REQUEST,
        "2026-11-21 10:30:00+00");
    assertFalse(Files.exists(dir));
  }

  @Test
  void aNonEmptyDirectoryIsLeftAsItWas() throws Exception {
    Path dir = fresh();
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("precious.txt"), "keep me");
    ApplicationFailure f = fails(request(backup.id(), null, NodeTarget.of("n1", dir.toString(), FreePorts.loopback())));
    assertMessage(f, Failures.TARGET_NOT_EMPTY, "target directory " + dir + " is not empty (it holds precious.txt");
    try (Stream<Path> left = Files.list(dir)) {
      assertEquals(List.of("precious.txt"), left.map(p -> p.getFileName().toString()).toList());
    }
    assertEquals("keep me", Files.readString(dir.resolve("precious.txt")));
  }

  @Test
  void aPortInUseIsRefused() {
    Path dir = fresh();
    assertMessage(fails(request(backup.id(), null, NodeTarget.of("n1", dir.toString(), pg.port()))), Failures.PORT_IN_USE,
        "port " + pg.port() + " is already in use");
    assertFalse(Files.exists(dir));
  }

  @Test
  void binariesOfAnotherMajorVersionAreRefused() throws Exception {
    Path dir = fresh();
    Path bin15 = PostgresBinaries.bundled(15);
    NodeTarget node = new NodeTarget("n1", dir.toString(), FreePorts.loopback(), null, bin15.toString(), null);
    assertMessage(fails(request(backup.id(), null, node)), Failures.VERSION_MISMATCH,
        "is PostgreSQL 16, but the binaries in " + bin15 + " are PostgreSQL 15");
    assertFalse(Files.exists(dir));
  }

  @Test
  void everyNodeMustHaveATargetAndOnlyNodesOfTheBackup() {
    Path dir = fresh();
    assertMessage(fails(request(backup.id(), null, NodeTarget.of("other", dir.toString(), FreePorts.loopback()))),
        Failures.INVALID_REQUEST, "has no node 'other'; its nodes: [n1]");
    assertMessage(fails(new RestoreRequest(CLUSTER, backup.id(), null, null, null, null, null, null, List.of())),
        Failures.INVALID_REQUEST, "field 'nodes' is required");
    assertFalse(Files.exists(dir));
  }

  @Test
  void aTargetBeyondTheArchivedWalFailsNamingTheLastWalReachedInsteadOfWaiting() throws Exception {
    Path dir = fresh();
    int port = FreePorts.loopback();
    Instant started = Instant.now();
    ApplicationFailure f = fails(request(backup.id(), RecoveryTarget.atLsn("FFFF/0"),
        NodeTarget.of("n1", dir.toString(), port).withSettings(Map.of("unix_socket_directories", ""))));
    assertTrue(Duration.between(started, Instant.now()).toMinutes() < 3, "fails, does not hang");
    assertMessage(f, Failures.RECOVERY_FAILED, "recovery ended before configured recovery target was reached",
        "Last WAL file restored from the archive: 0000000100000000000000", "beyond the archived WAL");
    assertTrue(new PgCtl(pg.binDirectory(), "pg_ctl", dir).runningPid().isEmpty(), "no server is left running");
  }

  @Test
  void aDamagedObjectStopsTheNodeNamingTheFileAndTheObject() throws Exception {
    BackupRecord second = setup.backupStub(CLUSTER).backup(TestSetup.request(CLUSTER));
    Repository repo = setup.repository();
    String nodePrefix = RepositoryLayout.node(CLUSTER, second.id(), "n1");
    List<StoredFile> files = new ArrayList<>();
    Ndjson.forEach(repo, nodePrefix + RepositoryLayout.storedFiles(second.nodes().get(0).session(), 0), StoredFile.class,
        files::add);
    StoredFile victim = files.stream().filter(x -> x.length() > 200).findFirst().orElseThrow();
    byte[] pack = repo.readAllBytes(nodePrefix + victim.pack());
    pack[(int) (victim.offset() + victim.length() / 2)] ^= 0x5a;
    try (ObjectWriter w = repo.create(nodePrefix + victim.pack(), pack.length)) {
      w.write(pack);
      w.commit();
    }
    ApplicationFailure f = fails(request(second.id(), null, NodeTarget.of("n1", fresh().toString(), FreePorts.loopback())));
    assertMessage(f, Failures.CORRUPT_BACKUP, "restore of node n1 stopped", "stored copy of " + victim.path(),
        victim.pack(), "is damaged");
  }
}
