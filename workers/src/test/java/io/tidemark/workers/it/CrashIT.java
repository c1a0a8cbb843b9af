package io.tidemark.workers.it;

import static io.tidemark.workers.it.RestoreEndToEndIT.contents;
import static io.tidemark.workers.it.RestoreEndToEndIT.insert;
import static io.tidemark.workers.it.RestoreEndToEndIT.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.tidemark.activities.Json;
import io.tidemark.activities.files.ListedFile;
import io.tidemark.activities.postgres.PgCtl;
import io.tidemark.activities.repository.Repository;
import io.tidemark.activities.repository.RepositoryLayout;
import io.tidemark.activities.transfer.Ndjson;
import io.tidemark.infra.ChildProcess;
import io.tidemark.infra.FreePorts;
import io.tidemark.infra.postgres.LocalPostgres;
import io.tidemark.workflows.TaskQueues;
import io.tidemark.workflows.WorkflowIds;
import io.tidemark.workflows.activities.ClusterActivities.LostSession;
import io.tidemark.workflows.activities.ClusterActivities.OpenPacks;
import io.tidemark.workflows.activities.NodeBackupActivities.BatchResult;
import io.tidemark.workflows.activities.NodeBackupActivities.SendFilesInput;
import io.tidemark.workflows.backup.ClusterBackupWorkflow;
import io.tidemark.workflows.model.BackupRecord;
import io.tidemark.workflows.model.NodeBackupRecord;
import io.tidemark.workflows.restore.ClusterRestoreWorkflow;
import io.tidemark.workflows.restore.NodeRestoreResult;
import io.tidemark.workflows.restore.NodeTarget;
import io.tidemark.workflows.restore.RecoveryTarget;
import io.tidemark.workflows.restore.RestoreRequest;
import io.tidemark.workflows.restore.RestoreResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Worker processes killed with SIGKILL in every phase of a backup and of a restore, one after
 * the other, against a Temporal server running as a process of its own. Each kill happens at a
 * failpoint: the worker freezes there (TIDEMARK_FAILPOINT), says so, and the test kills it and
 * starts a fresh worker. The backup must complete, the restore must complete, and the restored
 * table must equal the source's at the target, row for row.
 */
class CrashIT {

  static final int MAJOR = 16;
  static final String CLUSTER = "crash";
  /** Heartbeats are sent at most every 5 s: wait that long so the server holds the resume point. */
  static final long HEARTBEAT_FLUSH_MILLIS = 6_000;

  @TempDir
  Path tmp;

  @Test
  void aBackupAndARestoreSurviveAWorkerKilledInEveryPhase() throws Exception {
    try (TestSetup setup = new TestSetup("crash");
        ChildProcess temporal = startTemporal(setup);
        LocalPostgres pg = LocalPostgres.start(MAJOR,
            LocalPostgres.Options.defaults().withArchiveCommand(setup.archiveCommand(CLUSTER, "n1")));
        Connection c = pg.connect()) {
      setup.node(CLUSTER, TestSetup.Node.of("n1", pg));
      String bulk = fill(c);

      // The backup, under writes: a worker dies as StartBackup starts, in SendFileList, in the
      // middle of a SendFiles batch and in StopBackup.
      AtomicBoolean writing = new AtomicBoolean(true);
      Thread writer = new Thread(() -> {
        try (Connection w = pg.connect()) {
          while (writing.get()) {
            insert(w, "during", 5);
            Thread.sleep(50);
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      writer.start();
      int workers = 0;
      BackupRecord backup;
      ChildProcess survivor;
      ClusterBackupWorkflow workflow = setup.backupStub(CLUSTER);
      try {
        ChildProcess worker = crashingWorker(setup, ++workers, "StartBackup");
        WorkflowClient.start(workflow::backup, TestSetup.request(CLUSTER));
        for (String next : List.of("SendFileList", "SendFiles@3", "StopBackup")) {
          killAtFailpoint(worker);
          worker = crashingWorker(setup, ++workers, next);
        }
        killAtFailpoint(worker);
        survivor = setup.startWorkerProcess("worker-" + ++workers, List.of(), "--shared", "--node", CLUSTER + "/n1");
        backup = Outcomes.await(WorkflowStub.fromTyped(workflow), 10, BackupRecord.class);
      } finally {
        writing.set(false);
        writer.join();
      }
      assertEquals(BackupRecord.COMPLETED, backup.status());
      assertEquals(4, backup.nodes().get(0).session(),
          "the session holder died in SendFileList, SendFiles and StopBackup: the fourth session made the backup");
      NodeBackupRecord backedUp = backup.nodes().get(0);
      assertTrue(backedUp.reuse().reusedBytes() > backedUp.bytes() / 2,
          "the fourth session reused the third's copies of the unchanged bulk tables: " + backedUp.reuse() + " of "
              + backedUp.bytes() + " bytes");
      System.out.println("crash suite: " + backedUp.reuse() + " of " + backedUp.bytes() + " bytes");
      String nodeBackupId = WorkflowIds.nodeBackup(WorkflowIds.backup(CLUSTER), backup.id(), "n1");
      assertLostSessionsResent(setup, nodeBackupId, backup.id(), backedUp);
      assertEquals(backedUp.reuse().resentBytes(), workflow.progress().nodes().get(0).progress().reuse().resentBytes(),
          "the progress query shows the bytes sent again that the record does");
      // The backup's last worker goes too: left polling, it could take the restore's FetchFiles retry
      // and ReplayWal from the workers meant to die in them, and the restore's kills would not happen.
      survivor.kill();

      insert(c, "after-backup", 100);
      query(c, "SELECT pg_create_restore_point('crash-target')::text");
      String expected = contents(c);
      insert(c, "after-target", 100);
      RestoreEndToEndIT.awaitArchived(setup, CLUSTER, query(c, "SELECT pg_walfile_name(pg_switch_wal())"));

      // The restore: a worker dies in the middle of a FetchFiles batch, and one while PostgreSQL,
      // which it has just started, replays WAL (the server lives on; the next worker finds it).
      int port = FreePorts.loopback();
      Path dir = tmp.resolve("restored");
      String restoreId = WorkflowIds.restore(CLUSTER, "crash");
      ChildProcess worker = crashingWorker(setup, ++workers, "FetchFiles@2");
      ClusterRestoreWorkflow restore = setup.client().newWorkflowStub(ClusterRestoreWorkflow.class,
          WorkflowOptions.newBuilder().setWorkflowId(restoreId).setTaskQueue(TaskQueues.SHARED).build());
      WorkflowClient.start(restore::restore, new RestoreRequest(CLUSTER, backup.id(), RecoveryTarget.atName("crash-target"),
          null, null, "promote", "off", 2, List.of(NodeTarget.of("n1", dir.toString(), port)
              .withSettings(Map.of("unix_socket_directories", "")))));
      killAtFailpoint(worker);
      worker = crashingWorker(setup, ++workers, "ReplayWal@1");
      killAtFailpoint(worker);
      setup.startWorkerProcess("worker-" + ++workers, List.of(), "--shared", "--node", CLUSTER + "/n1");
      try {
        RestoreResult result = Outcomes.await(WorkflowStub.fromTyped(restore), 10, RestoreResult.class);
        NodeRestoreResult node = result.nodes().get(0);
        assertEquals("promoted", node.state());
        String nodeRestoreId = WorkflowIds.nodeRestore(restoreId, "n1");
        assertTrue(retried(setup.client(), nodeRestoreId, "FetchFiles"), "a FetchFiles batch ran again after the kill");
        assertTrue(retried(setup.client(), nodeRestoreId, "ReplayWal"), "ReplayWal ran again after the kill");
        try (Connection restored = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres",
            "postgres", "")) {
          assertEquals(expected, contents(restored), "the restored table equals the source's at the restore point");
          assertEquals(bulk, checksum(restored), "the bulk tables, written before the backup, are intact");
        }
        Histories.replay(setup.client(), WorkflowIds.backup(CLUSTER), nodeBackupId, restoreId, nodeRestoreId);
      } finally {
        PgCtl pgCtl = new PgCtl(pg.binDirectory(), "pg_ctl", dir);
        if (pgCtl.runningPid().isPresent()) {
          pgCtl.stop();
        }
      }
    }
  }

  /**
   * What the lost sessions left in open packs, checked against the node backup's history and the
   * repository rather than against the code that counted it. Sessions 1 (SendFileList) and 2
   * (SendFiles) were lost while copying, so each was counted; session 3 was lost in StopBackup,
   * with nothing in flight. Session 2's process died with a batch frozen at its third heartbeat,
   * having read into a pack it never committed: more than nothing, and no more than the batches it
   * never finished hold. The record adds the counts to what the fourth session's own batches sent
   * again.
   */
  static void assertLostSessionsResent(TestSetup setup, String nodeBackupId, String backupId, NodeBackupRecord node)
      throws Exception {
    List<HistoryEvent> events = setup.client().fetchHistory(nodeBackupId).getEvents();
    Map<Long, SendFilesInput> sendFiles = new HashMap<>();
    Set<Long> completed = new HashSet<>();
    Map<Integer, OpenPacks> counted = new TreeMap<>();
    long lastSessionResent = 0;
    for (HistoryEvent e : events) {
      if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
          && e.getActivityTaskScheduledEventAttributes().getActivityType().getName().equals("SendFiles")) {
        sendFiles.put(e.getEventId(), Json.read(e.getActivityTaskScheduledEventAttributes().getInput().getPayloads(0)
            .getData().toByteArray(), SendFilesInput.class));
      }
      if (e.getEventType() != EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) {
        continue;
      }
      long scheduledId = e.getActivityTaskCompletedEventAttributes().getScheduledEventId();
      HistoryEvent scheduled = events.get((int) scheduledId - 1);
      String type = scheduled.getActivityTaskScheduledEventAttributes().getActivityType().getName();
      if (!type.equals("SendFiles") && !type.equals("CountOpenPacks")) {
        continue;
      }
      byte[] result = e.getActivityTaskCompletedEventAttributes().getResult().getPayloads(0).getData().toByteArray();
      if (type.equals("SendFiles")) {
        completed.add(scheduledId);
        BatchResult r = Json.read(result, BatchResult.class);
        if (sendFiles.get(scheduledId).session() == node.session() && r.reuse() != null) {
          lastSessionResent += r.reuse().resentBytes();
        }
      } else if (type.equals("CountOpenPacks")) {
        LostSession lost = Json.read(scheduled.getActivityTaskScheduledEventAttributes().getInput().getPayloads(0)
            .getData().toByteArray(), LostSession.class);
        counted.put(lost.session(), Json.read(result, OpenPacks.class));
      }
    }
    System.out.println("crash suite: open packs of lost sessions " + counted);
    assertEquals(Set.of(1, 2), counted.keySet(), "the sessions lost while copying were counted, and only those");
    assertEquals(0, counted.get(1).bytes(), "session 1 was lost while listing: no batch ran");

    Repository repo = setup.repository();
    String nodePrefix = RepositoryLayout.node(CLUSTER, backupId, "n1");
    long unfinishedBytes = 0;
    List<Integer> unfinished = new ArrayList<>();
    for (Map.Entry<Long, SendFilesInput> b : sendFiles.entrySet()) {
      if (b.getValue().session() != 2 || completed.contains(b.getKey())) {
        continue;
      }
      unfinished.add(b.getValue().batch());
      try (Ndjson.CloseableIterator<ListedFile> files = Ndjson.read(repo,
          nodePrefix + RepositoryLayout.fileList(2, b.getValue().batch()), ListedFile.class)) {
        while (files.hasNext()) {
          unfinishedBytes += files.next().size();
        }
      }
    }
    OpenPacks open = counted.get(2);
    System.out.printf("crash suite: session 2 left %d bytes in open packs of batches %s; unfinished batches %s hold %d"
        + " bytes%n", open.bytes(), open.batches(), unfinished, unfinishedBytes);
    assertTrue(open.bytes() > 0, "the dead process had read into packs it never committed: " + open);
    assertTrue(open.bytes() <= unfinishedBytes, "no more than its unfinished batches hold: " + open + " of "
        + unfinishedBytes + " bytes in batches " + unfinished);
    assertTrue(unfinished.containsAll(open.batches()), "only unfinished batches had open packs: " + open);
    assertEquals(counted.values().stream().mapToLong(OpenPacks::bytes).sum() + lastSessionResent,
        node.reuse().resentBytes(), "the record adds the lost sessions' open packs to its own batches' re-sent bytes");
  }

  /** A Temporal server process: workers and this test talk to it over gRPC, as in production. */
  static ChildProcess startTemporal(TestSetup setup) throws Exception {
    int port = FreePorts.loopback();
    ChildProcess server = ChildProcess.start("temporal", List.of(Services.checkout().resolve("tidemark").toString(),
        "dev-server", "--port", String.valueOf(port)), setup.services.directory.resolve(setup.id + "-temporal.log"));
    awaitLog(server, "Temporal test server listening");
    setup.temporalForCrashes("127.0.0.1:" + port);
    return server;
  }

  private static ChildProcess crashingWorker(TestSetup setup, int n, String failpoint) throws Exception {
    return setup.startWorkerProcess("worker-" + n, List.of(), Map.of("TIDEMARK_FAILPOINT", failpoint), "--shared",
        "--node", CLUSTER + "/n1");
  }

  static void killAtFailpoint(ChildProcess worker) throws Exception {
    awaitLog(worker, "tidemark failpoint reached");
    Thread.sleep(HEARTBEAT_FLUSH_MILLIS);
    worker.kill();
  }

  static void awaitLog(ChildProcess p, String text) throws Exception {
    for (int i = 0; i < 3000 && !Files.readString(p.log()).contains(text); i++) {
      p.checkAlive();
      Thread.sleep(100);
    }
    assertTrue(Files.readString(p.log()).contains(text), "waited for '" + text + "'; the log ends:\n" + p.logTail(30));
  }

  /** Some activity of this type was started more than once in the workflow's history. */
  static boolean retried(WorkflowClient client, String workflowId, String activityType) {
    List<HistoryEvent> events = client.fetchHistory(workflowId).getEvents();
    return events.stream().filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED)
        .anyMatch(e -> e.getActivityTaskStartedEventAttributes().getAttempt() > 1
            && events.get((int) e.getActivityTaskStartedEventAttributes().getScheduledEventId() - 1)
                .getActivityTaskScheduledEventAttributes().getActivityType().getName().equals(activityType));
  }

  /** Enough data for several batches and packs: six tables of 20 MB, and the events table. */
  static String fill(Connection c) throws Exception {
    try (Statement st = c.createStatement()) {
      st.execute("CREATE TABLE events (id bigserial PRIMARY KEY, phase text NOT NULL)");
      for (int i = 1; i <= 6; i++) {
        st.execute("CREATE TABLE bulk" + i + " AS SELECT g, md5((g * " + i + ")::text) AS v FROM generate_series(1, 300000) g");
      }
    }
    insert(c, "before", 1000);
    return checksum(c);
  }

  static String checksum(Connection c) throws Exception {
    StringBuilder s = new StringBuilder();
    for (int i = 1; i <= 6; i++) {
      s.append(query(c, "SELECT count(*) || ':' || sum(hashtext(v)) FROM bulk" + i)).append(' ');
    }
    return s.toString();
  }
}
