package io.tidemark.workers.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.tidemark.activities.postgres.PgCtl;
import io.tidemark.activities.repository.RepositoryLayout;
import io.tidemark.infra.FreePorts;
import io.tidemark.infra.postgres.LocalPostgres;
import io.tidemark.infra.postgres.PostgresBinaries;
import io.tidemark.workflows.TaskQueues;
import io.tidemark.workflows.WorkflowIds;
import io.tidemark.workflows.backup.ClusterBackupWorkflow;
import io.tidemark.workflows.model.BackupRecord;
import io.tidemark.workflows.restore.ClusterRestoreWorkflow;
import io.tidemark.workflows.restore.NodeRestoreResult;
import io.tidemark.workflows.restore.NodeTarget;
import io.tidemark.workflows.restore.RecoveryTarget;
import io.tidemark.workflows.restore.RestoreRequest;
import io.tidemark.workflows.restore.RestoreResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Point-in-time recovery of every supported major version to every kind of target, checked row
 * for row against what the source held at that target.
 */
class RestoreEndToEndIT {

  @TempDir
  Path tmp;

  /** The table as text: one line per row. Equal text, equal data. */
  static String contents(Connection c) throws Exception {
    StringBuilder s = new StringBuilder();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id, phase FROM events ORDER BY id")) {
      while (rs.next()) {
        s.append(rs.getLong(1)).append(' ').append(rs.getString(2)).append('\n');
      }
    }
    return s.toString();
  }

  static String query(Connection c, String sql) throws Exception {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  static void insert(Connection c, String phase, int rows) throws Exception {
    try (Statement st = c.createStatement()) {
      st.execute("INSERT INTO events (phase) SELECT '" + phase + "' FROM generate_series(1, " + rows + ")");
    }
  }

  @ParameterizedTest(name = "PostgreSQL {0}")
  @ValueSource(ints = {13, 14, 15, 16, 17, 18})
  void restoresToEveryKindOfTarget(int major) throws Exception {
    String cluster = "pitr" + major;
    try (TestSetup setup = new TestSetup("restore-" + major);
        LocalPostgres pg = LocalPostgres.start(major,
            LocalPostgres.Options.defaults().withArchiveCommand(setup.archiveCommand(cluster, "n1")));
        Connection c = pg.connect()) {
      setup.node(cluster, TestSetup.Node.of("n1", pg)).startWorker();
      try (Statement st = c.createStatement()) {
        st.execute("CREATE TABLE events (id bigserial PRIMARY KEY, phase text NOT NULL)");
      }
      insert(c, "before", 1000);

      AtomicBoolean writing = new AtomicBoolean(true);
      Thread writer = new Thread(() -> {
        try (Connection w = pg.connect()) {
          while (writing.get()) {
            insert(w, "during", 20);
            Thread.sleep(10);
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      writer.start();
      BackupRecord backup;
      try {
        ClusterBackupWorkflow workflow = setup.backupStub(cluster);
        backup = workflow.backup(TestSetup.request(cluster));
      } finally {
        writing.set(false);
        writer.join();
      }

      Map<String, RecoveryTarget> targets = new LinkedHashMap<>();
      Map<String, String> expected = new LinkedHashMap<>();
      insert(c, "after-1", 100);
      query(c, "SELECT pg_create_restore_point('tidemark-test-point')::text");
      targets.put("name", RecoveryTarget.atName("tidemark-test-point"));
      expected.put("name", contents(c));
      insert(c, "after-2", 100);
      targets.put("time", RecoveryTarget.atTime(query(c, "SELECT clock_timestamp()::text")));
      expected.put("time", contents(c));
      insert(c, "after-3", 100);
      c.setAutoCommit(false);
      insert(c, "xid-marker", 1);
      String xid = query(c, "SELECT txid_current()::text");
      c.commit();
      c.setAutoCommit(true);
      targets.put("xid", RecoveryTarget.atXid(xid));
      expected.put("xid", contents(c));
      insert(c, "after-4", 100);
      targets.put("lsn", RecoveryTarget.atLsn(query(c, "SELECT pg_current_wal_insert_lsn()::text")));
      expected.put("lsn", contents(c));
      insert(c, "after-5", 100);
      targets.put("latest", RecoveryTarget.latestTarget());
      expected.put("latest", contents(c));
      targets.put("immediate", RecoveryTarget.immediateTarget());
      String lastSegment = query(c, "SELECT pg_walfile_name(pg_switch_wal())");
      awaitArchived(setup, cluster, lastSegment);

      Map<String, WorkflowStub> restores = new LinkedHashMap<>();
      Map<String, Integer> ports = new LinkedHashMap<>();
      for (Map.Entry<String, RecoveryTarget> t : targets.entrySet()) {
        int port = FreePorts.loopback();
        ports.put(t.getKey(), port);
        NodeTarget to = NodeTarget.of("n1", tmp.resolve(t.getKey()).toString(), port)
            .withSettings(Map.of("unix_socket_directories", ""));
        ClusterRestoreWorkflow restore = setup.client().newWorkflowStub(ClusterRestoreWorkflow.class, WorkflowOptions
            .newBuilder().setWorkflowId(WorkflowIds.restore(cluster, t.getKey())).setTaskQueue(TaskQueues.SHARED).build());
        WorkflowClient.start(restore::restore, new RestoreRequest(cluster, backup.id(), t.getValue(), null, null,
            "promote", "off", 2, List.of(to)));
        restores.put(t.getKey(), WorkflowStub.fromTyped(restore));
      }

      List<String> problems = new ArrayList<>();
      for (Map.Entry<String, WorkflowStub> r : restores.entrySet()) {
        String kind = r.getKey();
        RestoreResult result = Outcomes.await(r.getValue(), 10, RestoreResult.class);
        NodeRestoreResult node = result.nodes().get(0);
        Path dir = tmp.resolve(kind);
        try (Connection restored = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + ports.get(kind) + "/postgres",
            "postgres", "")) {
          assertEquals("promoted", node.state(), kind);
          assertTrue(node.timeline() > 1, kind + ": a promoted restore starts a new timeline, not " + node.timeline());
          String got = contents(restored);
          if (kind.equals("immediate")) {
            checkImmediate(got, problems);
          } else if (!got.equals(expected.get(kind))) {
            problems.add(kind + ": the restored rows differ from the source's at the target: " + summary(got) + " vs "
                + summary(expected.get(kind)));
          }
          insert(restored, "written-after-restore", 1);
          assertEquals("false", query(restored, "SELECT pg_is_in_recovery()::text"), kind + " accepts writes");
          if (major == 15 && kind.equals("latest")) {
            amcheck(ports.get(kind));
          }
        } finally {
          new PgCtl(pg.binDirectory(), "pg_ctl", dir).stop();
        }
      }
      assertEquals(List.of(), problems);
      Histories.replay(setup.client(), WorkflowIds.restore(cluster, "time"),
          WorkflowIds.nodeRestore(WorkflowIds.restore(cluster, "time"), "n1"));
    }
  }

  /** At the backup's end: every row from before, a gapless prefix of those written during, none after. */
  private static void checkImmediate(String got, List<String> problems) {
    long before = got.lines().filter(l -> l.endsWith(" before")).count();
    List<Long> during = got.lines().filter(l -> l.endsWith(" during")).map(l -> Long.parseLong(l.split(" ")[0])).toList();
    if (before != 1000) {
      problems.add("immediate: " + before + " of the 1000 rows written before the backup");
    }
    if (got.lines().anyMatch(l -> l.contains("after"))) {
      problems.add("immediate: holds rows written after the backup");
    }
    for (int i = 1; i < during.size(); i++) {
      if (during.get(i) != during.get(i - 1) + 1) {
        problems.add("immediate: the rows written during the backup have a gap at " + during.get(i));
        break;
      }
    }
  }

  private static String summary(String rows) {
    List<String> lines = rows.lines().toList();
    return lines.size() + " rows, last " + (lines.isEmpty() ? "none" : lines.get(lines.size() - 1));
  }

  private static void amcheck(int port) throws Exception {
    Path amcheck = PostgresBinaries.system(15).map(b -> b.resolve("pg_amcheck")).orElse(null);
    if (amcheck == null) {
      return;
    }
    Process p = new ProcessBuilder(amcheck.toString(), "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "postgres",
        "--all", "--install-missing", "--heapallindexed").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(5, TimeUnit.MINUTES));
    assertEquals(0, p.exitValue(), "pg_amcheck on the restored cluster:\n" + out);
  }

  static void awaitArchived(TestSetup setup, String cluster, String segment) throws Exception {
    String key = RepositoryLayout.walObject(cluster, "n1", segment);
    for (int i = 0; i < 600 && !setup.repository().exists(key); i++) {
      Thread.sleep(100);
    }
    assertTrue(setup.repository().exists(key), segment + " was archived");
  }
}
