package io.tidemark.workers.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.tidemark.activities.backup.BackupCatalog;
import io.tidemark.activities.postgres.PgCtl;
import io.tidemark.activities.postgres.Unprivileged;
import io.tidemark.infra.FreePorts;
import io.tidemark.infra.postgres.LocalPostgres;
import io.tidemark.workflows.backup.ClusterBackupWorkflow;
import io.tidemark.workflows.model.BackupRecord;
import io.tidemark.workflows.model.Lsn;
import io.tidemark.workflows.model.NodeBackupRecord;
import io.tidemark.workflows.model.RestorePoint;
import io.tidemark.workflows.restore.ClusterRestoreWorkflow;
import io.tidemark.workflows.restore.NodeStatus;
import io.tidemark.workflows.restore.RestoreResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A distributed cluster: a coordinator and three segments, four real PostgreSQL servers, each
 * served by an agent process of its own, with a shared worker process besides. An application
 * writes across nodes with two-phase commit, its commit decisions logged on the coordinator (as
 * Citus does); the cluster's restorePointBarrier holds those decisions back while the restore
 * point is made. Restored to that point, every node holds exactly the transactions the
 * coordinator's restored log says were decided — no more, no less — and each row as the source
 * has it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DistributedClusterIT {

  static final int MAJOR = 16;
  static final String CLUSTER = "dist";
  static final List<String> NODES = List.of("coord", "seg1", "seg2", "seg3");
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path tmp;
  static TestSetup setup;
  static final Map<String, LocalPostgres> servers = new LinkedHashMap<>();

  @BeforeAll
  static void startCluster() throws Exception {
    // The segment whose target is made unwritable runs its agent without root's right to ignore
    // file modes; that needs PostgreSQL to run in a user namespace (files stay root's).
    Assumptions.assumeTrue(Unprivileged.mode() == Unprivileged.Mode.UNSHARE, "user namespaces are available");
    setup = new TestSetup("dist");
    for (String n : NODES) {
      LocalPostgres pg = LocalPostgres.start(MAJOR, LocalPostgres.Options.defaults()
          .withArchiveCommand(setup.archiveCommand(CLUSTER, n)).withSettings(List.of("max_prepared_transactions = 20")));
      servers.put(n, pg);
      setup.node(CLUSTER, TestSetup.Node.of(n, pg));
    }
    StringBuilder settings = new StringBuilder("    restorePointBarrier:\n")
        .append("      - LOCK TABLE dist_commits IN EXCLUSIVE MODE\n    afterRestore:\n");
    for (String seg : NODES.subList(1, 4)) {
      settings.append("      - UPDATE node_catalog SET port = ${").append(seg).append(".port} WHERE name = '").append(seg)
          .append("' AND port = ${").append(seg).append(".sourcePort}\n");
    }
    setup.clusterSettings(CLUSTER, settings.toString());

    for (Map.Entry<String, LocalPostgres> e : servers.entrySet()) {
      try (Connection c = e.getValue().connect(); Statement st = c.createStatement()) {
        st.execute("CREATE TABLE t (g bigint PRIMARY KEY, v text NOT NULL)");
        st.execute("CREATE TABLE bulk AS SELECT g, md5(g::text) AS v FROM generate_series(1, 40000) g");
        if (e.getKey().equals("coord")) {
          st.execute("CREATE TABLE dist_commits (g bigint PRIMARY KEY, participants text NOT NULL)");
          st.execute("CREATE TABLE node_catalog (name text PRIMARY KEY, port int NOT NULL)");
          for (String seg : NODES.subList(1, 4)) {
            st.execute("INSERT INTO node_catalog VALUES ('" + seg + "', " + servers.get(seg).port() + ")");
          }
        }
      }
    }
    setup.startWorkerProcess("shared", List.of(), "--shared");
    for (String n : NODES) {
      // seg2's agent has no right to write where its file modes say no, like an agent not run as root.
      List<String> prefix = n.equals("seg2")
          ? List.of("setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner", "--") : List.of();
      setup.startWorkerProcess("agent-" + n, prefix, "--node", CLUSTER + "/" + n);
    }
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (setup != null) {
      setup.close();
    }
    for (LocalPostgres pg : servers.values()) {
      pg.close();
    }
  }

  @Test
  @Order(1)
  void backsUpEveryNodeInParallelAndRestoresAllToTheClusterRestorePointRetryingOnlyTheNodeThatFailed()
      throws Exception {
    DistributedWriter writer = new DistributedWriter();
    Thread writing = new Thread(writer);
    writing.start();
    BackupRecord backup;
    long decidedBefore;
    long decidedAfter;
    try {
      writer.awaitDecisions(200);
      decidedBefore = writer.decided.get();
      backup = setup.backupStub(CLUSTER).backup(TestSetup.request(CLUSTER));
      decidedAfter = writer.decided.get();
      writer.awaitDecisions(decidedAfter + 100); // the source moves on past the restore point
    } finally {
      writer.stop();
      writing.join();
    }
    assertEquals(List.of(), writer.errors);

    assertEquals(BackupRecord.COMPLETED, backup.status());
    RestorePoint point = backup.restorePoint();
    assertNotNull(point, "the backup record holds the cluster restore point");
    assertEquals("tidemark-" + backup.id(), point.name());
    for (NodeBackupRecord n : backup.nodes()) {
      Lsn at = Lsn.parse(point.node(n.node()).orElseThrow().lsn());
      assertTrue(!at.isBefore(Lsn.parse(n.stopLsn())), n.node() + ": the restore point comes after the node's backup");
    }
    Sources source = Sources.read();

    // seg2 goes under a directory its agent may not write to.
    Path locked = Files.createDirectories(tmp.resolve("locked"));
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
    Map<String, Integer> ports = new LinkedHashMap<>();
    Map<String, Path> dirs = new LinkedHashMap<>();
    List<String> restoreArgs = new ArrayList<>(List.of("restore", "--cluster", CLUSTER, "--action", "promote",
        "--archive", "off", "--set", "unix_socket_directories=", "--parallelism", "2", "--wait"));
    for (String n : NODES) {
      ports.put(n, FreePorts.loopback());
      dirs.put(n, n.equals("seg2") ? locked.resolve(n) : tmp.resolve("restored").resolve(n));
      restoreArgs.addAll(List.of("--to", n + ":" + dirs.get(n) + ":" + ports.get(n)));
    }
    String restoreId = null;
    try {
      BadInputIT.Run waiting = BadInputIT.tidemark(setup.configFile, restoreArgs.toArray(String[]::new));
      assertEquals(4, waiting.status(), "a failed node leaves the restore waiting: " + waiting.err());
      Matcher id = Pattern.compile("tidemark-restore-dist-[0-9-]+").matcher(waiting.err());
      assertTrue(id.find(), waiting.err());
      restoreId = id.group();
      assertTrue(waiting.err().contains("tidemark retry-node --restore " + restoreId + " --node seg2"), waiting.err());

      ClusterRestoreWorkflow restore = setup.client().newWorkflowStub(ClusterRestoreWorkflow.class, restoreId);
      for (int i = 0; i < 1800 && restore.status().nodes().stream()
          .filter(n -> n.phase().equals(NodeStatus.RESTORED)).count() < 3; i++) {
        Thread.sleep(100); // the others go on while seg2 waits
      }
      BadInputIT.Run status = BadInputIT.tidemark(setup.configFile, "status", restoreId, "--output", "json");
      assertEquals(0, status.status(), status.err());
      JsonNode nodes = JSON.readTree(status.out()).get("nodes");
      assertEquals("failed", nodes.get(2).get("phase").asText());
      assertTrue(nodes.get(2).get("error").asText().contains("permission denied"), nodes.get(2).toString());
      for (int i : List.of(0, 1, 3)) {
        assertEquals("restored", nodes.get(i).get("phase").asText(), nodes.get(i).toString());
      }
      BadInputIT.Run premature = BadInputIT.tidemark(setup.configFile, "retry-node", "--restore", restoreId, "--node",
          "seg1");
      assertEquals(1, premature.status());
      assertTrue(premature.err().contains("node seg1 is restored; only a failed node can be retried"), premature.err());

      Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwxr-xr-x"));
      BadInputIT.Run retry = BadInputIT.tidemark(setup.configFile, "retry-node", "--restore", restoreId, "--node", "seg2");
      assertEquals(0, retry.status(), retry.err());
      assertTrue(retry.out().contains("node seg2: attempt 2 started"), retry.out());
      RestoreResult result = Outcomes.await(setup.client().newUntypedWorkflowStub(restoreId), 5,
          RestoreResult.class);
      assertEquals("ran 3 statement(s) on coord", result.afterRestore());

      checkOnlyTheFailedNodeWasFetchedAgain(restoreId, backup);
      checkRestoredData(source, ports, decidedBefore, decidedAfter);
      Histories.replay(setup.client(), restoreId, restoreId + "/seg2/attempt-2");
    } finally {
      for (Path dir : dirs.values()) {
        PgCtl pgCtl = new PgCtl(servers.get("coord").binDirectory(), "pg_ctl", dir);
        if (pgCtl.runningPid().isPresent()) {
          pgCtl.stop();
        }
      }
    }
  }

  /** The parent started five node restores: four first attempts and seg2's second; only seg2 fetched twice. */
  private static void checkOnlyTheFailedNodeWasFetchedAgain(String restoreId, BackupRecord backup) {
    WorkflowClient client = setup.client();
    List<String> children = client.fetchHistory(restoreId).getEvents().stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED)
        .map(e -> e.getStartChildWorkflowExecutionInitiatedEventAttributes().getWorkflowId()).toList();
    assertEquals(List.of(restoreId + "/coord", restoreId + "/seg1", restoreId + "/seg2", restoreId + "/seg3",
        restoreId + "/seg2/attempt-2"), children);
    for (String child : children) {
      String node = child.substring(restoreId.length() + 1).split("/")[0];
      int batches = backup.nodes().stream().filter(n -> n.node().equals(node)).findFirst().orElseThrow().batches();
      long fetched = client.fetchHistory(child).getEvents().stream()
          .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
          .map(HistoryEvent::getActivityTaskScheduledEventAttributes)
          .filter(a -> a.getActivityType().getName().equals("FetchFiles")).count();
      assertEquals(child.equals(restoreId + "/seg2") ? 0 : batches, fetched, child + " fetched its batches once");
    }
  }

  /**
   * After resolving the in-doubt two-phase transactions by the restored coordinator's log, as
   * Citus's recovery does: the log is a prefix of the source's, taken between the backup's start
   * and its end, and every node holds exactly the rows of the decided transactions.
   */
  private static void checkRestoredData(Sources source, Map<String, Integer> ports, long decidedBefore,
      long decidedAfter) throws Exception {
    Map<String, Connection> restored = new LinkedHashMap<>();
    try {
      for (String n : NODES) {
        restored.put(n, DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + ports.get(n) + "/postgres",
            "postgres", ""));
      }
      TreeMap<Long, String> decided = table(restored.get("coord"), "SELECT g, participants FROM dist_commits");
      long last = decided.isEmpty() ? 0 : decided.lastKey();
      assertEquals(source.decisions.headMap(last, true), decided, "the restored log is a prefix of the source's");
      assertTrue(last >= decidedBefore && last <= decidedAfter, "the restore point lies within the backup: "
          + decidedBefore + " <= " + last + " <= " + decidedAfter);
      assertTrue(last < source.decisions.lastKey(), "and the source wrote on after it");

      for (String n : NODES.subList(1, 4)) {
        try (Statement st = restored.get(n).createStatement()) {
          for (String gid : strings(st, "SELECT gid FROM pg_prepared_xacts")) {
            long g = Long.parseLong(gid.substring("tm-".length()));
            st.execute((decided.containsKey(g) ? "COMMIT PREPARED '" : "ROLLBACK PREPARED '") + gid + "'");
          }
        }
      }
      for (String n : NODES) {
        TreeMap<Long, String> expected = new TreeMap<>();
        source.rows.get(n).forEach((g, v) -> {
          if (decided.containsKey(g)) {
            expected.put(g, v);
          }
        });
        assertEquals(expected, table(restored.get(n), "SELECT g, v FROM t"), n + " holds exactly the decided rows");
        assertEquals(source.bulk.get(n), count(restored.get(n), "SELECT count(*) FROM bulk"), n);
        assertEquals("false", strings(restored.get(n).createStatement(), "SELECT pg_is_in_recovery()::text").get(0));
      }
      TreeMap<String, Integer> catalog = new TreeMap<>();
      try (Statement st = restored.get("coord").createStatement();
          ResultSet rs = st.executeQuery("SELECT name, port FROM node_catalog")) {
        while (rs.next()) {
          catalog.put(rs.getString(1), rs.getInt(2));
        }
      }
      assertEquals(Map.of("seg1", ports.get("seg1"), "seg2", ports.get("seg2"), "seg3", ports.get("seg3")), catalog,
          "the afterRestore SQL pointed the coordinator's catalog at the restored segments");
    } finally {
      for (Connection c : restored.values()) {
        c.close();
      }
    }
  }

  @Test
  @Order(2)
  void aNodeThatGoesDownMidBackupFailsTheBackupCleanlyAndLeavesNoNodeInBackupMode() throws Exception {
    ClusterBackupWorkflow workflow = setup.backupStub(CLUSTER);
    WorkflowClient.start(workflow::backup, TestSetup.request(CLUSTER));
    LocalPostgres seg3 = servers.get("seg3");
    try (Connection watch = seg3.connect()) {
      for (int i = 0; i < 3000 && countSessions(watch) == 0; i++) {
        Thread.sleep(10);
      }
      assertEquals(1, countSessions(watch), "seg3's backup session started");
    }
    seg3.crash();

    WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
        () -> WorkflowStub.fromTyped(workflow).getResult(3, TimeUnit.MINUTES, BackupRecord.class));
    assertTrue(e.getCause().getMessage().contains("node seg3"), e.getCause().getMessage());
    List<BackupRecord> records = new BackupCatalog(setup.repository()).list(CLUSTER);
    BackupRecord failed = records.get(records.size() - 1);
    assertEquals(BackupRecord.FAILED, failed.status());
    assertTrue(failed.error().startsWith("node seg3: "), failed.error());
    for (NodeBackupRecord n : failed.nodes()) {
      if (n.node().equals("seg3")) {
        assertEquals(BackupRecord.FAILED, n.status());
        assertTrue(n.error().contains(String.valueOf(seg3.port())) || n.error().contains("session"), n.error());
      } else {
        assertTrue(n.status().equals(BackupRecord.COMPLETED) || "cancelled because node seg3 failed".equals(n.error()),
            n.node() + ": " + n.status() + " " + n.error());
      }
    }
    for (String n : List.of("coord", "seg1", "seg2")) {
      try (Connection c = servers.get(n).connect()) {
        for (int i = 0; i < 300 && countSessions(c) > 0; i++) {
          Thread.sleep(100);
        }
        assertEquals(0, countSessions(c), n + " is left with no backup session, so in no backup mode");
      }
    }
  }

  private static long countSessions(Connection c) throws SQLException {
    return count(c, "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'tidemark backup %'");
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static List<String> strings(Statement st, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  private static TreeMap<Long, String> table(Connection c, String sql) throws SQLException {
    TreeMap<Long, String> out = new TreeMap<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.put(rs.getLong(1), rs.getString(2));
      }
    }
    return out;
  }

  /** What the source cluster holds once the writer has stopped. */
  private record Sources(TreeMap<Long, String> decisions, Map<String, TreeMap<Long, String>> rows, Map<String, Long> bulk) {
    static Sources read() throws SQLException {
      Map<String, TreeMap<Long, String>> rows = new LinkedHashMap<>();
      Map<String, Long> bulk = new LinkedHashMap<>();
      TreeMap<Long, String> decisions;
      try (Connection c = servers.get("coord").connect()) {
        decisions = table(c, "SELECT g, participants FROM dist_commits");
      }
      for (String n : NODES) {
        try (Connection c = servers.get(n).connect()) {
          rows.put(n, table(c, "SELECT g, v FROM t"));
          bulk.put(n, count(c, "SELECT count(*) FROM bulk"));
        }
      }
      return new Sources(decisions, rows, bulk);
    }
  }

  /**
   * Writes transaction after transaction, each to one to three nodes: every segment part is
   * prepared (PREPARE TRANSACTION), the decision is committed on the coordinator with its own part,
   * then the prepared parts are committed. Decided transactions are numbered in order.
   */
  static final class DistributedWriter implements Runnable {

    final AtomicLong decided = new AtomicLong();
    final List<Throwable> errors = new ArrayList<>();
    private volatile boolean running = true;
    private final Random random = new Random(42);

    void stop() {
      running = false;
    }

    void awaitDecisions(long atLeast) throws InterruptedException {
      for (int i = 0; i < 6000 && decided.get() < atLeast && errors.isEmpty(); i++) {
        Thread.sleep(10);
      }
      assertEquals(List.of(), errors);
      assertTrue(decided.get() >= atLeast, "the writer reached " + decided.get() + " of " + atLeast);
    }

    @Override
    public void run() {
      Map<String, Connection> c = new LinkedHashMap<>();
      try {
        for (String n : NODES) {
          c.put(n, servers.get(n).connect());
        }
        for (long g = 1; running; g++) {
          List<String> parts = new ArrayList<>(NODES);
          java.util.Collections.shuffle(parts, random);
          parts = parts.subList(0, 1 + random.nextInt(3));
          String value = "v" + g + "-" + random.nextInt(1_000_000);
          for (String seg : parts) {
            if (!seg.equals("coord")) {
              try (Statement st = c.get(seg).createStatement()) {
                st.execute("BEGIN");
                st.execute("INSERT INTO t VALUES (" + g + ", '" + value + "')");
                st.execute("PREPARE TRANSACTION 'tm-" + g + "'");
              }
            }
          }
          try (Statement st = c.get("coord").createStatement()) {
            st.execute("BEGIN");
            if (parts.contains("coord")) {
              st.execute("INSERT INTO t VALUES (" + g + ", '" + value + "')");
            }
            st.execute("INSERT INTO dist_commits VALUES (" + g + ", '" + String.join(",", parts.stream().sorted().toList())
                + "')");
            st.execute("COMMIT");
          }
          decided.set(g);
          for (String seg : parts) {
            if (!seg.equals("coord")) {
              try (Statement st = c.get(seg).createStatement()) {
                st.execute("COMMIT PREPARED 'tm-" + g + "'");
              }
            }
          }
        }
      } catch (Throwable t) {
        errors.add(t);
      } finally {
        for (Connection conn : c.values()) {
          try {
            conn.close();
          } catch (SQLException ignored) {
            // the test reads what was committed
          }
        }
      }
    }
  }
}
