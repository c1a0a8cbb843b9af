package io.tidemark.workers.it;

import static io.tidemark.workers.it.CrashIT.awaitLog;
import static io.tidemark.workers.it.CrashIT.checksum;
import static io.tidemark.workers.it.CrashIT.fill;
import static io.tidemark.workers.it.CrashIT.killAtFailpoint;
import static io.tidemark.workers.it.CrashIT.startTemporal;
import static io.tidemark.workers.it.RestoreEndToEndIT.contents;
import static io.tidemark.workers.it.RestoreEndToEndIT.insert;
import static io.tidemark.workers.it.RestoreEndToEndIT.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.tidemark.activities.Json;
import io.tidemark.activities.postgres.PgCtl;
import io.tidemark.infra.ChildProcess;
import io.tidemark.infra.FreePorts;
import io.tidemark.infra.postgres.LocalPostgres;
import io.tidemark.workflows.TaskQueues;
import io.tidemark.workflows.WorkflowIds;
import io.tidemark.workflows.activities.NodeBackupActivities.BatchResult;
import io.tidemark.workflows.backup.ClusterBackupWorkflow;
import io.tidemark.workflows.model.BackupRecord;
import io.tidemark.workflows.model.NodeBackupRecord;
import io.tidemark.workflows.restore.ClusterRestoreWorkflow;
import io.tidemark.workflows.restore.NodeTarget;
import io.tidemark.workflows.restore.RecoveryTarget;
import io.tidemark.workflows.restore.RestoreRequest;
import io.tidemark.workflows.restore.RestoreResult;
import io.tidemark.workers.metrics.Scrape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two agent processes poll one node's queue and share its batches. The one that does not hold
 * the backup session is killed in the middle of a batch: the session lives on, the batch is
 * retried on the other process from the packs already committed, and what it sends again is at
 * most what the dead attempt had read into its open pack. The backup restores exactly.
 */
class SharedWorkIT {

  static final String CLUSTER = "shared";

  @TempDir
  Path tmp;

  @Test
  void aKilledAgentsBatchIsRetriedByTheOtherWithinOneSessionResendingLessThanABatch() throws Exception {
    try (TestSetup setup = new TestSetup("shared");
        ChildProcess temporal = startTemporal(setup);
        LocalPostgres pg = LocalPostgres.start(CrashIT.MAJOR,
            LocalPostgres.Options.defaults().withArchiveCommand(setup.archiveCommand(CLUSTER, "n1")));
        Connection c = pg.connect()) {
      setup.node(CLUSTER, TestSetup.Node.of("n1", pg));
      String bulk = fill(c);

      // Agent A alone: it takes StartBackup, so it holds the session. With one activity slot and a
      // pause at every SendFiles, it leaves the other batches of the window to agent B.
      ChildProcess a = setup.startWorkerProcess("agent-a", List.of(), Map.of("TIDEMARK_FAILPOINT", "SendFiles~8"),
          "--shared", "--node", CLUSTER + "/n1", "--max-activities", "1");
      ClusterBackupWorkflow workflow = setup.backupStub(CLUSTER);
      WorkflowClient.start(workflow::backup, TestSetup.request(CLUSTER));
      awaitLog(a, "tidemark failpoint pause: SendFiles");
      ChildProcess b = setup.startWorkerProcess("agent-b", List.of(), Map.of("TIDEMARK_FAILPOINT", "SendFiles@3"),
          "--node", CLUSTER + "/n1");
      killAtFailpoint(b);

      BackupRecord backup = Outcomes.await(WorkflowStub.fromTyped(workflow), 10, BackupRecord.class);
      assertEquals(BackupRecord.COMPLETED, backup.status());
      NodeBackupRecord node = backup.nodes().get(0);
      assertEquals(1, node.session(), "the session holder lived: no new session");
      assertTrue(node.reuse().resentBytes() > 0, "the killed attempt had bytes in an open pack: " + node.reuse());

      String nodeBackupId = WorkflowIds.nodeBackup(WorkflowIds.backup(CLUSTER), backup.id(), "n1");
      List<HistoryEvent> events = setup.client().fetchHistory(nodeBackupId).getEvents();
      Set<String> processes = new HashSet<>();
      List<BatchResult> retried = new ArrayList<>();
      for (HistoryEvent e : events) {
        if (e.getEventType() != EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) {
          continue;
        }
        HistoryEvent started = events.get((int) e.getActivityTaskCompletedEventAttributes().getStartedEventId() - 1);
        HistoryEvent scheduled = events.get((int) e.getActivityTaskCompletedEventAttributes().getScheduledEventId() - 1);
        if (!scheduled.getActivityTaskScheduledEventAttributes().getActivityType().getName().equals("SendFiles")) {
          continue;
        }
        // The completing worker's identity: the test server leaves a retried attempt's started event
        // without one.
        processes.add(e.getActivityTaskCompletedEventAttributes().getIdentity());
        if (started.getActivityTaskStartedEventAttributes().getAttempt() > 1) {
          retried.add(Json.read(e.getActivityTaskCompletedEventAttributes().getResult().getPayloads(0).getData()
              .toByteArray(), BatchResult.class));
        }
      }
      System.out.println("shared work: completing identities " + processes);
      assertEquals(2, processes.size(), "both agents completed batches: " + processes);
      assertFalse(retried.isEmpty(), "the killed agent's batch ran again");
      long resent = 0;
      for (BatchResult r : retried) {
        assertTrue(r.resumed() > 0 || r.reuse().resentBytes() > 0, "the retry took over committed packs: " + r);
        assertTrue(r.reuse().resentBytes() <= r.bytes(), "re-sent at most its batch: " + r);
        resent += r.reuse().resentBytes();
      }
      assertEquals(node.reuse().resentBytes(), resent, "the record adds up the batches' re-sent bytes");
      // Agent A, the survivor, ran every retry: its metrics count exactly what was sent again.
      Matcher metrics = Pattern.compile("metrics at (http://\\S+)").matcher(Files.readString(a.log()));
      assertTrue(metrics.find(), "agent A serves metrics");
      assertEquals(node.reuse().resentBytes(), Scrape.of(metrics.group(1)).sum("tidemark_backup_resent_bytes_total",
          Map.of("cluster", CLUSTER, "node", "n1")), "agent A's re-sent bytes counter");
      System.out.printf("shared work: %d retried batch(es), %d bytes re-sent of %d%n", retried.size(), resent,
          node.bytes());

      insert(c, "after-backup", 50);
      query(c, "SELECT pg_create_restore_point('shared-target')::text");
      String expected = contents(c);
      insert(c, "after-target", 50);
      RestoreEndToEndIT.awaitArchived(setup, CLUSTER, query(c, "SELECT pg_walfile_name(pg_switch_wal())"));

      int port = FreePorts.loopback();
      Path dir = tmp.resolve("restored");
      String restoreId = WorkflowIds.restore(CLUSTER, "shared");
      ClusterRestoreWorkflow restore = setup.client().newWorkflowStub(ClusterRestoreWorkflow.class,
          WorkflowOptions.newBuilder().setWorkflowId(restoreId).setTaskQueue(TaskQueues.SHARED).build());
      try {
        RestoreResult result = restore.restore(new RestoreRequest(CLUSTER, backup.id(),
            RecoveryTarget.atName("shared-target"), null, null, "promote", "off", 3,
            List.of(NodeTarget.of("n1", dir.toString(), port).withSettings(Map.of("unix_socket_directories", "")))));
        assertEquals("promoted", result.nodes().get(0).state());
        try (Connection restored = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres",
            "postgres", "")) {
          assertEquals(expected, contents(restored), "the restored table equals the source's at the restore point");
          assertEquals(bulk, checksum(restored), "the bulk tables are intact");
        }
        Histories.replay(setup.client(), WorkflowIds.backup(CLUSTER), restoreId);
      } finally {
        PgCtl pgCtl = new PgCtl(pg.binDirectory(), "pg_ctl", dir);
        if (pgCtl.runningPid().isPresent()) {
          pgCtl.stop();
        }
      }
    }
  }
}
