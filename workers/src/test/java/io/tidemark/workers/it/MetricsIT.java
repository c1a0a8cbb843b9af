package io.tidemark.workers.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.tidemark.activities.postgres.PgCtl;
import io.tidemark.infra.ChildProcess;
import io.tidemark.infra.FreePorts;
import io.tidemark.infra.postgres.LocalPostgres;
import io.tidemark.workers.deploy.DeployFiles;
import io.tidemark.workers.metrics.Scrape;
import io.tidemark.workflows.Failures;
import io.tidemark.workflows.TaskQueues;
import io.tidemark.workflows.WorkflowIds;
import io.tidemark.workflows.backup.BackupRequest;
import io.tidemark.workflows.backup.ClusterBackupWorkflow;
import io.tidemark.workflows.model.BackupRecord;
import io.tidemark.workflows.model.NodeBackupRecord;
import io.tidemark.workflows.restore.ClusterRestoreWorkflow;
import io.tidemark.workflows.restore.NodeRestoreResult;
import io.tidemark.workflows.restore.NodeTarget;
import io.tidemark.workflows.restore.RestoreRequest;
import io.tidemark.workflows.restore.RestoreResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker process serves Prometheus metrics on a free loopback port. During a backup the byte
 * counter moves batch by batch. After the backup, a failed
 * backup of an unknown cluster and a restore, one scrape must say exactly what the backup record
 * and the restore result say, carry the Temporal SDK's metrics, and hold every series the deploy
 * files' dashboard and alerts read; and the endpoint listens on 127.0.0.1 only.
 */
class MetricsIT {

  static final String CLUSTER = "metrics";
  static final long SEGMENT = 16 << 20;
  private static final Pattern ADDRESS = Pattern.compile("metrics at http://([0-9.]+):(\\d+)/metrics");

  @TempDir
  Path tmp;

  @Test
  void theScrapeSaysWhatTheBackupRecordAndRestoreResultSay() throws Exception {
    try (TestSetup setup = new TestSetup("metrics");
        LocalPostgres pg = LocalPostgres.start(CrashIT.MAJOR,
            LocalPostgres.Options.defaults().withArchiveCommand(setup.archiveCommand(CLUSTER, "n1")))) {
      setup.node(CLUSTER, TestSetup.Node.of("n1", pg));
      try (Connection c = pg.connect(); Statement st = c.createStatement()) {
        st.execute("CREATE TABLE t (id int PRIMARY KEY, payload text)");
        st.execute("INSERT INTO t SELECT g, repeat(md5(g::text), 8) FROM generate_series(1, 50000) g");
      }
      // The configuration TestSetup writes asks for port 0 on 127.0.0.1: the worker prints the port it got.
      // Every SendFiles pauses a second as it starts, so the backup lasts long enough to be watched.
      ChildProcess worker = setup.startWorkerProcess("worker", List.of(), Map.of("TIDEMARK_FAILPOINT", "SendFiles~1"));
      Matcher m = ADDRESS.matcher(Files.readString(worker.log()));
      assertTrue(m.find(), "the worker prints where it serves metrics: " + worker.logTail(20));
      assertEquals("127.0.0.1", m.group(1));
      int port = Integer.parseInt(m.group(2));
      String base = "http://127.0.0.1:" + port;
      assertOnlyLoopbackListens(port);
      assertEquals(200, Scrape.get(base + "/healthz").statusCode());
      assertEquals(200, Scrape.get(base + "/readyz").statusCode(), "ready: the worker polls");

      // During the backup, one batch at a time: the byte counter moves, batch by batch, up to the record's.
      WorkflowStub running = setup.startUntyped(WorkflowIds.backup(CLUSTER),
          new BackupRequest(CLUSTER, null, 1, "it", null, 120, 20));
      Map<String, String> nodeTags = Map.of("cluster", CLUSTER, "node", "n1");
      TreeSet<Double> seenWhileRunning = new TreeSet<>();
      while (setup.client().newUntypedWorkflowStub(WorkflowIds.backup(CLUSTER)).describe().getStatus()
          == io.temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
        seenWhileRunning.add(Scrape.of(base + "/metrics").sum("tidemark_backup_bytes_total", nodeTags));
        Thread.sleep(100);
      }
      BackupRecord backup = running.getResult(BackupRecord.class);
      assertEquals(BackupRecord.COMPLETED, backup.status());
      NodeBackupRecord node = backup.nodes().get(0);
      seenWhileRunning.remove(0.0);
      System.out.println("metrics: backup bytes seen while the backup ran: " + seenWhileRunning + " of " + node.bytes()
          + " in " + node.batches() + " batches");
      assertTrue(seenWhileRunning.size() >= 2 && seenWhileRunning.last() <= node.bytes(),
          "the byte counter moved during the backup: " + seenWhileRunning);

      // A backup of a cluster the configuration lacks: DescribeCluster fails, classified.
      WorkflowStub unknown = setup.startUntyped(WorkflowIds.backup("nosuch"), Map.of("cluster", "nosuch"));
      assertThrows(WorkflowFailedException.class, () -> unknown.getResult(2, TimeUnit.MINUTES, BackupRecord.class));

      int pgPort = FreePorts.loopback();
      Path dir = tmp.resolve("restored");
      String restoreId = WorkflowIds.restore(CLUSTER, "metrics");
      ClusterRestoreWorkflow restore = setup.client().newWorkflowStub(ClusterRestoreWorkflow.class,
          WorkflowOptions.newBuilder().setWorkflowId(restoreId).setTaskQueue(TaskQueues.SHARED).build());
      NodeRestoreResult restored;
      try {
        RestoreResult result = restore.restore(new RestoreRequest(CLUSTER, backup.id(), null, null, null, "promote", "off",
            3, List.of(NodeTarget.of("n1", dir.toString(), pgPort).withSettings(Map.of("unix_socket_directories", "")))));
        restored = result.nodes().get(0);
        assertEquals("promoted", restored.state());
      } finally {
        PgCtl pgCtl = new PgCtl(pg.binDirectory(), "pg_ctl", dir);
        if (pgCtl.runningPid().isPresent()) {
          pgCtl.stop();
        }
      }

      // The SDK flushes into the registry every few seconds, the agent reads wal-push's times every
      // ten: wait for both.
      String nodeQueue = setup.config().requireNode(CLUSTER, "n1").taskQueue();
      Map<String, String> fetchOnNodeQueue = Map.of("activity_type", "FetchFiles", "task_queue", nodeQueue);
      Map<String, String> pushed = Map.of("cluster", CLUSTER, "node", "n1", "outcome", "stored");
      Scrape s = Scrape.of(base + "/metrics");
      for (int i = 0; i < 300 && (s.sum("temporal_activity_execution_latency_seconds_count", fetchOnNodeQueue)
          < node.batches() || s.sum("tidemark_wal_push_seconds_count", pushed) == 0); i++) {
        Thread.sleep(200);
        s = Scrape.of(base + "/metrics");
      }
      System.out.println("metrics: series names scraped: " + s.names());

      Map<String, String> n1 = Map.of("cluster", CLUSTER, "node", "n1", "repository", "s3");
      assertEquals(node.batches(), s.sum("tidemark_backup_batches_total", n1));
      assertEquals(node.files(), s.sum("tidemark_backup_files_total", n1));
      assertEquals(node.bytes(), s.sum("tidemark_backup_bytes_total", n1));
      assertEquals(node.storedBytes(), s.sum("tidemark_backup_stored_bytes_total", n1));
      assertEquals(node.reuse().reusedFiles(), s.sum("tidemark_backup_reused_files_total", n1));
      assertEquals(node.reuse().reusedBytes(), s.sum("tidemark_backup_reused_bytes_total", n1));
      assertEquals(node.reuse().resentBytes(), s.sum("tidemark_backup_resent_bytes_total", n1));
      assertEquals(node.corruptPages(), s.sum("tidemark_backup_corrupt_pages_total", n1));
      assertEquals(node.files(), s.sum("tidemark_backup_progress_done_files", n1));
      assertEquals(node.bytes(), s.sum("tidemark_backup_progress_done_bytes", n1));
      assertTrue(s.sum("tidemark_backup_progress_planned_bytes", n1) >= node.bytes(), "listed at least what was read");
      assertEquals(restored.files(), s.sum("tidemark_restore_files_total", n1));
      assertEquals(restored.bytes(), s.sum("tidemark_restore_bytes_total", n1));
      assertEquals(node.batches(), s.sum("tidemark_restore_batches_total", n1), "a restore fetches the backup's batches");
      // The agent reads pg_stat_archiver of its node: the backup's WAL is archived, and nothing waits.
      Map<String, String> agentNode = Map.of("cluster", CLUSTER, "node", "n1");
      assertEquals(1, s.sum("tidemark_wal_archive_check_up", agentNode), "the agent reaches its node");
      assertTrue(s.sum("tidemark_wal_last_archived_timestamp_seconds", agentNode) > System.currentTimeMillis() / 1000 - 3600,
          "a WAL file was archived within the hour");
      assertEquals(0, s.sum("tidemark_wal_archive_failures", agentNode));
      assertTrue(s.sum("tidemark_wal_archive_lag_segments", agentNode) >= 0, "known, and not negative");
      // wal-push, run by PostgreSQL through the launcher, timed its transfers into the spool; the agent exports them.
      double pushes = s.sum("tidemark_wal_push_seconds_count", pushed);
      assertTrue(pushes > 0, "the backup's WAL was pushed and timed");
      assertEquals(pushes, s.sum("tidemark_wal_push_seconds_bucket", with(pushed, "le", "+Inf")));
      assertTrue(s.sum("tidemark_wal_push_seconds_sum", pushed) > 0);
      double pushedBytes = s.sum("tidemark_wal_push_bytes_total", pushed);
      assertTrue(pushedBytes >= SEGMENT && pushedBytes <= pushes * SEGMENT,
          "segments of 16 MiB, and smaller .backup files: " + pushedBytes + " bytes in " + pushes + " files");
      // Read from pg_stat_archiver, which counts a call only after it returned, at its own poll: at
      // least one, not necessarily as many as the stats file already holds.
      assertTrue(s.sum("tidemark_wal_archived_files", agentNode) >= 1, "PostgreSQL counted archived files");
      System.out.println("metrics: wal-push transfers timed: " + pushes + ", seconds: "
          + s.sum("tidemark_wal_push_seconds_sum", pushed) + ", archived by PostgreSQL's count: "
          + s.sum("tidemark_wal_archived_files", agentNode));
      assertEquals(1, s.sum("tidemark_backups_committed_total", Map.of("cluster", CLUSTER, "status", "completed")));
      long stopped = Instant.parse(backup.stopTime()).getEpochSecond();
      assertEquals(stopped, s.sum("tidemark_backup_last_completed_timestamp_seconds", Map.of("cluster", CLUSTER)),
          "the committed record's stop time");
      assertEquals(1, s.sum("tidemark_activity_failures_total",
          Map.of("activity", "DescribeCluster", "failure", Failures.UNKNOWN_CLUSTER)));
      assertFalse(s.text.contains(setup.config().repository().s3().secretAccessKey()), "no credential in the scrape");

      // The SDK's own metrics, per task queue.
      assertEquals(node.batches(), s.sum("temporal_activity_execution_latency_seconds_count", fetchOnNodeQueue));
      assertTrue(s.sum("temporal_activity_schedule_to_start_latency_seconds_count", Map.of("task_queue", nodeQueue)) > 0);
      assertTrue(s.sum("temporal_workflow_task_schedule_to_start_latency_seconds_count",
          Map.of("task_queue", TaskQueues.SHARED)) > 0);
      assertTrue(s.has("temporal_request_total") || s.has("temporal_long_request_total"), "client RPC metrics");

      // Every series the dashboard and the alerts read is really there.
      Set<String> missing = new TreeSet<>(DeployFiles.allMetricNames());
      missing.removeAll(DeployFiles.PROMETHEUS_OWN);
      missing.removeAll(s.names());
      assertTrue(missing.isEmpty(), "deploy files read series this worker does not export: " + missing);

      // A shared worker started now never committed a backup: it learns the newest from the repository.
      ChildProcess restarted = setup.startWorkerProcess("restarted", List.of(), "--shared");
      Matcher r = ADDRESS.matcher(Files.readString(restarted.log()));
      assertTrue(r.find(), restarted.logTail(20));
      String restartedMetrics = "http://127.0.0.1:" + r.group(2) + "/metrics";
      Map<String, String> cluster = Map.of("cluster", CLUSTER);
      Scrape after = Scrape.of(restartedMetrics);
      for (int i = 0; i < 150 && !after.has("tidemark_backup_last_completed_timestamp_seconds"); i++) {
        Thread.sleep(200);
        after = Scrape.of(restartedMetrics);
      }
      assertEquals(stopped, after.sum("tidemark_backup_last_completed_timestamp_seconds", cluster),
          "the restarted worker exports the backup's stop time: " + restarted.logTail(20));
      assertEquals(0, after.sum("tidemark_backups_committed_total", cluster), "it committed nothing itself");
    }
  }

  private static Map<String, String> with(Map<String, String> labels, String name, String value) {
    Map<String, String> more = new java.util.HashMap<>(labels);
    more.put(name, value);
    return more;
  }

  /** Every listening socket on the port is bound to a loopback address (from /proc/net/tcp{,6}). */
  private static void assertOnlyLoopbackListens(int port) throws Exception {
    List<String> bound = new ArrayList<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path p = Path.of(table);
      if (!Files.exists(p)) {
        continue;
      }
      List<String> lines = Files.readAllLines(p); // read once: the table changes as sockets come and go
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.trim().split("\\s+");
        String[] local = f[1].split(":");
        if (f[3].equals("0A") && Integer.parseInt(local[1], 16) == port) {
          bound.add(local[0]);
        }
      }
    }
    assertFalse(bound.isEmpty(), "something listens on " + port);
    Set<String> loopback = Set.of("0100007F", "00000000000000000000000001000000", "0000000000000000FFFF00000100007F");
    for (String address : bound) {
      assertTrue(loopback.contains(address), "port " + port + " is bound to " + address + ", not loopback only");
    }
  }
}
