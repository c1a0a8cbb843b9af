package io.tidemark.workers.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.tidemark.activities.backup.BackupCatalog;
import io.tidemark.activities.postgres.PgCtl;
import io.tidemark.activities.repository.Listing;
import io.tidemark.activities.repository.Repository;
import io.tidemark.activities.repository.RepositoryLayout;
import io.tidemark.infra.FreePorts;
import io.tidemark.infra.postgres.LocalPostgres;
import io.tidemark.workflows.TaskQueues;
import io.tidemark.workflows.WorkflowIds;
import io.tidemark.workflows.model.BackupRecord;
import io.tidemark.workflows.restore.ClusterRestoreWorkflow;
import io.tidemark.workflows.restore.NodeTarget;
import io.tidemark.workflows.restore.RecoveryTarget;
import io.tidemark.workflows.restore.RestoreRequest;
import io.tidemark.workflows.restore.RestoreResult;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention against real PostgreSQL, S3 and Temporal: a backup of a cluster with a policy expires
 * what the policy lets go; the oldest kept backup still restores to a moment after the newest (the
 * WAL it needs stayed); a dry run changes nothing; a backup a running restore reads is kept until
 * that restore ends; what is left validates.
 */
class RetentionIT {

  @TempDir
  Path tmp;

  @Test
  void expiresOldBackupsAndTheirWalAndKeepsWhatRestores() throws Exception {
    String cluster = "keep";
    try (TestSetup setup = new TestSetup("retention");
        LocalPostgres pg = LocalPostgres.start(17,
            LocalPostgres.Options.defaults().withArchiveCommand(setup.archiveCommand(cluster, "n1")));
        Connection c = pg.connect()) {
      setup.clusterSettings(cluster, "    retention:\n      full: 2\n")
          .node(cluster, TestSetup.Node.of("n1", pg))
          .node("nopolicy", new TestSetup.Node("n1", 5999, Path.of("/nonexistent"), null, null))
          .startWorker();
      Repository repo = setup.repository();
      try (Statement st = c.createStatement()) {
        st.execute("CREATE TABLE events (id bigserial PRIMARY KEY, phase text NOT NULL)");
      }
      List<BackupRecord> backups = new ArrayList<>();
      for (int i = 1; i <= 3; i++) {
        RestoreEndToEndIT.insert(c, "before-" + i, 200);
        RestoreEndToEndIT.query(c, "SELECT pg_walfile_name(pg_switch_wal())");
        backups.add(setup.backupStub(cluster).backup(TestSetup.request(cluster)));
      }
      BackupRecord first = backups.get(0);
      BackupRecord second = backups.get(1);
      BackupRecord third = backups.get(2);

      // The third backup applied full: 2 after itself: the first is gone, record and objects, and so
      // is every WAL file before the second's start; the second's own WAL is there.
      BackupCatalog catalog = new BackupCatalog(repo);
      assertEquals(List.of(second.id(), third.id()), catalog.list(cluster).stream().map(BackupRecord::id).toList());
      assertFalse(repo.hasAny(RepositoryLayout.backup(cluster, first.id())), "every object of the first backup is gone");
      String secondStart = second.nodes().get(0).startWal();
      List<String> wal = segments(repo, cluster);
      assertTrue(wal.stream().noneMatch(w -> w.substring(8).compareTo(secondStart.substring(8)) < 0),
          "no WAL before " + secondStart + " is left: " + wal);
      assertTrue(wal.contains(secondStart) && wal.contains(second.nodes().get(0).stopWal()),
          "the second backup's WAL is kept: " + wal);

      // The oldest kept backup restores to a moment after the newest: its WAL chain is whole.
      RestoreEndToEndIT.insert(c, "after-3", 100);
      RestoreEndToEndIT.query(c, "SELECT pg_create_restore_point('after-third')::text");
      String expected = RestoreEndToEndIT.contents(c);
      RestoreEndToEndIT.awaitArchived(setup, cluster, RestoreEndToEndIT.query(c, "SELECT pg_walfile_name(pg_switch_wal())"));
      int port = FreePorts.loopback();
      Path restored = tmp.resolve("restored");
      RestoreResult result = restore(setup, cluster, "oldest-kept", second.id(), RecoveryTarget.atName("after-third"),
          NodeTarget.of("n1", restored.toString(), port).withSettings(Map.of("unix_socket_directories", "")))
          .getResult(RestoreResult.class);
      assertEquals("promoted", result.nodes().get(0).state());
      try (Connection r = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "")) {
        assertEquals(expected, RestoreEndToEndIT.contents(r), "the rows at the restore point, from the oldest kept backup");
      } finally {
        new PgCtl(pg.binDirectory(), "pg_ctl", restored).stop();
      }

      // A dry run names what would go and deletes nothing.
      TreeSet<String> before = allKeys(repo, cluster + "/backups/");
      before.addAll(allKeys(repo, RepositoryLayout.wal(cluster, "n1")));
      BadInputIT.Run dry = BadInputIT.tidemark(setup.configFile, "expire", "--cluster", cluster, "--full", "1", "--dry-run");
      assertEquals(0, dry.status(), dry.err());
      System.out.println("tidemark expire --cluster " + cluster + " --full 1 --dry-run\n" + dry.out());
      assertTrue(dry.out().contains("would expire backup " + second.id()) && dry.out().contains("nothing deleted"), dry.out());
      TreeSet<String> after = allKeys(repo, cluster + "/backups/");
      after.addAll(allKeys(repo, RepositoryLayout.wal(cluster, "n1")));
      assertEquals(before, after, "a dry run deletes nothing");

      // A restore that reads the second backup and is still running (its node's agent queue has no
      // agent yet) keeps that backup through a run that would expire it.
      WorkflowStub running = restore(setup, cluster, "running", second.id(), RecoveryTarget.immediateTarget(),
          new NodeTarget("n1", tmp.resolve("later").toString(), FreePorts.loopback(), "tidemark-node-nobody-yet", null,
              null));
      String lease = RepositoryLayout.restoreLease(cluster, running.getExecution().getWorkflowId());
      for (int i = 0; i < 300 && !repo.exists(lease); i++) {
        Thread.sleep(100);
      }
      assertTrue(repo.exists(lease), "the restore took a lease on its backup");
      BadInputIT.Run inUse = BadInputIT.tidemark(setup.configFile, "expire", "--cluster", cluster, "--full", "1");
      assertEquals(0, inUse.status(), inUse.err());
      assertTrue(repo.exists(RepositoryLayout.backupRecord(cluster, second.id())), "kept while a restore reads it: "
          + inUse.out());
      assertTrue(inUse.out().contains("kept 2 backups"), inUse.out());
      running.terminate("test: the restore ends");

      // Now it goes, with the WAL before the third backup; the lease of the ended restore too.
      BadInputIT.Run expired = BadInputIT.tidemark(setup.configFile, "expire", "--cluster", cluster, "--full", "1");
      assertEquals(0, expired.status(), expired.err());
      assertTrue(expired.out().contains("expired backup " + second.id()), expired.out());
      assertEquals(List.of(third.id()), catalog.list(cluster).stream().map(BackupRecord::id).toList());
      assertFalse(repo.hasAny(RepositoryLayout.backup(cluster, second.id())));
      String thirdStart = third.nodes().get(0).startWal();
      assertTrue(segments(repo, cluster).stream().noneMatch(w -> w.substring(8).compareTo(thirdStart.substring(8)) < 0));
      assertFalse(repo.hasAny(RepositoryLayout.restoreLeases(cluster)), "leases of ended restores are removed");
      BadInputIT.Run validate = BadInputIT.tidemark(setup.configFile, "validate", "--cluster", cluster, "--all");
      assertEquals(0, validate.status(), validate.out() + validate.err());

      // No policy, no guess: the run fails at once and says how to set one.
      BadInputIT.Run none = BadInputIT.tidemark(setup.configFile, "expire", "--cluster", "nopolicy");
      assertEquals(1, none.status(), none.out());
      assertTrue(none.err().contains("has no retention policy") && none.err().contains("retention.full"), none.err());

      // Retention runs on a schedule too: the cron fallback on the test server.
      BadInputIT.Run scheduled = BadInputIT.tidemark(setup.configFile, "schedule", "--cluster", cluster, "--retention",
          "--cron", "30 4 * * *");
      assertEquals(0, scheduled.status(), scheduled.err());
      assertEquals("ScheduledRetention", setup.client().newUntypedWorkflowStub(WorkflowIds.retentionSchedule(cluster))
          .describe().getWorkflowType());
      assertEquals(0, BadInputIT.tidemark(setup.configFile, "schedule", "--cluster", cluster, "--retention", "--delete")
          .status());

      Histories.replay(setup.client(), WorkflowIds.backup(cluster), WorkflowIds.retention(cluster));
    }
  }

  private static WorkflowStub restore(TestSetup setup, String cluster, String suffix, String backupId,
      RecoveryTarget target, NodeTarget node) {
    ClusterRestoreWorkflow restore = setup.client().newWorkflowStub(ClusterRestoreWorkflow.class, WorkflowOptions
        .newBuilder().setWorkflowId(WorkflowIds.restore(cluster, suffix)).setTaskQueue(TaskQueues.SHARED).build());
    WorkflowClient.start(restore::restore, new RestoreRequest(cluster, backupId, target, null, null, "promote", "off", 2,
        List.of(node)));
    return WorkflowStub.fromTyped(restore);
  }

  /** The WAL segment names archived for node n1, every timeline. */
  private static List<String> segments(Repository repo, String cluster) throws Exception {
    return allKeys(repo, RepositoryLayout.wal(cluster, "n1")).stream()
        .map(k -> k.substring(k.lastIndexOf('/') + 1).replace(".zst", ""))
        .filter(n -> n.matches("[0-9A-F]{24}"))
        .toList();
  }

  private static TreeSet<String> allKeys(Repository repo, String prefix) throws Exception {
    TreeSet<String> keys = new TreeSet<>();
    try (Stream<Listing> listing = repo.list(prefix)) {
      for (Listing l : (Iterable<Listing>) listing::iterator) {
        if (l.folder()) {
          keys.addAll(allKeys(repo, l.key()));
        } else {
          keys.add(l.key());
        }
      }
    }
    return keys;
  }
}
