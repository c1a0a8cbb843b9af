package io.tidemark.workers.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.tidemark.activities.repository.Listing;
import io.tidemark.activities.repository.Repository;
import io.tidemark.infra.FreePorts;
import io.tidemark.infra.postgres.LocalPostgres;
import io.tidemark.workers.Main;
import io.tidemark.workflows.Failures;
import io.tidemark.workflows.WorkflowIds;
import io.tidemark.workflows.backup.BackupRequest;
import io.tidemark.workflows.backup.ClusterBackupWorkflow;
import io.tidemark.workflows.model.BackupRecord;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Mistakes get a clear error that names the problem and the fix, fail fast, and leave the
 * repository as it was.
 */
class BadInputIT {

  record Run(int status, String out, String err) {}

  static Run tidemark(Path config, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String[] argv = Stream.concat(Stream.of("--config", config.toString()), Stream.of(args)).toArray(String[]::new);
    int status = Main.run(argv, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** The root cause: the failure that started it all. */
  private static ApplicationFailure failureOf(Throwable e) {
    ApplicationFailure deepest = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ApplicationFailure) {
        deepest = (ApplicationFailure) t;
      }
    }
    if (deepest == null) {
      throw new AssertionError("no application failure in " + e, e);
    }
    return deepest;
  }

  /** Everything the setup's repository holds, as keys: nothing is written by a refused backup. */
  private static List<String> everything(Repository repo, String prefix) throws Exception {
    List<String> keys = new java.util.ArrayList<>();
    try (Stream<Listing> l = repo.list(prefix)) {
      for (Listing e : (Iterable<Listing>) l::iterator) {
        if (e.folder()) {
          keys.addAll(everything(repo, e.key()));
        } else {
          keys.add(e.key());
        }
      }
    }
    return keys;
  }

  private static ApplicationFailure backupFails(TestSetup setup, String cluster) {
    ClusterBackupWorkflow workflow = setup.backupStub(cluster);
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
        () -> workflow.backup(TestSetup.request(cluster)));
    return failureOf(e);
  }

  @Test
  void anUnknownClusterIsRefusedByTheCommandAndByTheWorkflow() throws Exception {
    try (TestSetup setup = new TestSetup("unknown-cluster")) {
      setup.node("main", new TestSetup.Node("n1", 5999, Path.of("/nonexistent"), null, null)).startWorker();
      Run run = tidemark(setup.configFile, "backup", "--cluster", "mian", "--wait");
      assertEquals(2, run.status());
      assertTrue(run.err().contains("unknown cluster 'mian'") && run.err().contains("[main]"), run.err());

      WorkflowStub byName = setup.startUntyped("ui-started", Map.of("cluster", "mian"));
      WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> byName.getResult(BackupRecord.class));
      assertEquals(Failures.UNKNOWN_CLUSTER, failureOf(e).getType());
      assertTrue(failureOf(e).getOriginalMessage().contains("configured clusters: [main]"));
      assertEquals(List.of(), everything(setup.repository(), ""));
    }
  }

  @Test
  void anUnreachableNodeFailsFastNamingTheAddress() throws Exception {
    int nobody = FreePorts.loopback();
    try (TestSetup setup = new TestSetup("unreachable")) {
      setup.node("main", new TestSetup.Node("n1", nobody, setup.services.directory, null, null)).startWorker();
      Instant started = Instant.now();
      ApplicationFailure f = backupFails(setup, "main");
      assertTrue(Duration.between(started, Instant.now()).toSeconds() < 60, "fails in seconds, not minutes");
      assertTrue(f.getOriginalMessage().contains("cannot connect to node n1 (127.0.0.1:" + nobody + ")"), f.getOriginalMessage());
      assertTrue(f.getOriginalMessage().contains("Is PostgreSQL running there"), f.getOriginalMessage());
      assertEquals(List.of(), everything(setup.repository(), ""), "no lock, no record, nothing");
    }
  }

  @Test
  void aServerThatDoesNotArchiveIsRefusedWithTheSettingsToChange() throws Exception {
    try (TestSetup setup = new TestSetup("no-archive");
        LocalPostgres pg = LocalPostgres.start(16, LocalPostgres.Options.defaults())) {
      setup.node("main", TestSetup.Node.of("n1", pg)).startWorker();
      ApplicationFailure f = backupFails(setup, "main");
      assertEquals(Failures.NODE_NOT_READY, f.getType());
      assertTrue(f.getOriginalMessage().contains("archive_mode = off")
          && f.getOriginalMessage().contains("archive_command = 'tidemark wal-push --cluster main --node n1 %p'"),
          f.getOriginalMessage());
      assertEquals(List.of(), everything(setup.repository(), ""));
    }
  }

  @Test
  void wrongCredentialsAreRefusedAtOnceWithoutShowingThePassword() throws Exception {
    try (TestSetup setup = new TestSetup("credentials");
        LocalPostgres pg = LocalPostgres.start(15, LocalPostgres.Options.defaults().withPassword("right-horse-battery")
            .withArchiveCommand("true"))) {
      setup.node("main", TestSetup.Node.of("n1", pg).withPassword("wrong-staple")).startWorker();
      Instant started = Instant.now();
      ApplicationFailure f = backupFails(setup, "main");
      assertTrue(Duration.between(started, Instant.now()).toSeconds() < 20, "not retried: it cannot get better");
      assertEquals(Failures.AUTHENTICATION, f.getType());
      assertTrue(f.getOriginalMessage().contains("refused user 'postgres' on node n1")
          && f.getOriginalMessage().contains("TIDEMARK_PG_PASSWORD_MAIN_N1"), f.getOriginalMessage());
      assertFalse(f.getOriginalMessage().contains("wrong-staple") || f.getOriginalMessage().contains("right-horse"));
      assertEquals(List.of(), everything(setup.repository(), ""));
    }
  }

  @Test
  void aSecondBackupOfAClusterIsRefusedWhileOneRuns() throws Exception {
    // archive_command 'false' never archives: the first backup waits for its WAL, and keeps running.
    try (TestSetup setup = new TestSetup("second");
        LocalPostgres pg = LocalPostgres.start(15, LocalPostgres.Options.defaults().withArchiveCommand("false"))) {
      setup.node("main", TestSetup.Node.of("n1", pg)).startWorker();
      ClusterBackupWorkflow first = setup.backupStub("main");
      WorkflowClient.start(first::backup, new BackupRequest("main", null, 2, null, null, 600, 20));

      Run again = tidemark(setup.configFile, "backup", "--cluster", "main");
      assertEquals(3, again.status());
      assertTrue(again.err().contains("a backup of cluster main is already running"), again.err());

      awaitLock(setup.repository());
      WorkflowStub other = setup.startUntyped("ui-second", Map.of("cluster", "main"));
      WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> other.getResult(BackupRecord.class));
      assertEquals(Failures.BACKUP_IN_PROGRESS, failureOf(e).getType());
      assertTrue(failureOf(e).getOriginalMessage().contains("workflow " + WorkflowIds.backup("main")));

      // Terminated without cleaning up, the first leaves its lock behind; the next backup takes it
      // over, and then fails on WAL that never arrives, naming the segment and the archiver's state.
      WorkflowStub.fromTyped(first).terminate("test");
      ClusterBackupWorkflow third = setup.backupStub("main");
      WorkflowFailedException failed = assertThrows(WorkflowFailedException.class,
          () -> third.backup(new BackupRequest("main", null, 2, null, null, 3, 20)));
      String message = failureOf(failed).getOriginalMessage();
      assertTrue(message.matches("(?s).*WAL segment 0000000100000000000000\\w\\w of node n1 did not reach the repository within 3 s.*"),
          message);
      assertTrue(message.contains("failed (last 0000000100000000000000"), "the archiver's own report: " + message);
    }
  }

  private static void awaitLock(Repository repo) throws Exception {
    Instant deadline = Instant.now().plusSeconds(30);
    while (everything(repo, "").stream().noneMatch(k -> k.endsWith("locks/backup.json"))) {
      assertTrue(Instant.now().isBefore(deadline), "the first backup takes the lock");
      Thread.sleep(100);
    }
  }

  @Test
  void aMissingConfigurationFileSaysWhereItLooked() {
    Run run = tidemark(Path.of("/nonexistent/tidemark.yaml"), "show", "--cluster", "main");
    assertEquals(2, run.status());
    assertTrue(run.err().contains("no configuration file at /nonexistent/tidemark.yaml") && run.err().contains("--config"),
        run.err());
  }

  @Test
  void aMalformedConfigurationNamesTheSetting() throws Exception {
    Path config = Files.createTempFile("bad", ".yaml");
    Files.writeString(config, "repository:\n  local:\n    path: /tmp/x\n    compresion: zstd\n");
    Run run = tidemark(config, "show", "--cluster", "main");
    assertEquals(2, run.status());
    assertTrue(run.err().contains("unknown setting 'repository.local.compresion'") && run.err().contains("path"), run.err());
  }
}
