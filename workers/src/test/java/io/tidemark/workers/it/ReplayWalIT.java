package io.tidemark.workers.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.testing.TestActivityEnvironment;
import io.tidemark.activities.Json;
import io.tidemark.activities.postgres.ControlFile;
import io.tidemark.activities.postgres.PgCtl;
import io.tidemark.activities.restore.NodeRestoreActivitiesImpl;
import io.tidemark.infra.FreePorts;
import io.tidemark.infra.postgres.LocalPostgres;
import io.tidemark.workflows.activities.NodeRestoreActivities.ReplayResult;
import io.tidemark.workflows.activities.NodeRestoreActivities.ReplayWalInput;
import io.tidemark.workflows.activities.NodeRestoreActivities;
import io.tidemark.workflows.model.BackupRecord;
import io.tidemark.workflows.restore.RestoreResult;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pause and shutdown actions, through the tidemark restore command; and a retried ReplayWal
 * re-attaches to the server it started, or finds its work done, instead of starting another.
 */
class ReplayWalIT {

  static final String CLUSTER = "replay";

  @TempDir
  Path tmp;

  private RestoreResult restoreByCommand(TestSetup setup, BackupRecord backup, Path dir, int port, String action) {
    BadInputIT.Run run = BadInputIT.tidemark(setup.configFile, "restore", "--cluster", CLUSTER, "--backup", backup.id(),
        "--to", "n1:" + dir + ":" + port, "--target-immediate", "--action", action, "--archive", "off",
        "--set", "unix_socket_directories=", "--wait", "--output", "json");
    assertEquals(0, run.status(), run.err());
    try {
      return Json.read(run.out().getBytes(), RestoreResult.class);
    } catch (java.io.IOException e) {
      throw new AssertionError(run.out(), e);
    }
  }

  @Test
  void pauseAndShutdownAndARetriedReplay() throws Exception {
    try (TestSetup setup = new TestSetup("replay");
        LocalPostgres pg = LocalPostgres.start(17,
            LocalPostgres.Options.defaults().withArchiveCommand(setup.archiveCommand(CLUSTER, "n1")))) {
      setup.node(CLUSTER, TestSetup.Node.of("n1", pg)).startWorker();
      try (Connection c = pg.connect(); Statement st = c.createStatement()) {
        st.execute("CREATE TABLE t AS SELECT g AS id FROM generate_series(1, 1000) g");
      }
      BackupRecord backup = setup.backupStub(CLUSTER).backup(TestSetup.request(CLUSTER));
      TestActivityEnvironment activities = TestActivityEnvironment.newInstance();
      activities.registerActivitiesImplementations(new NodeRestoreActivitiesImpl(setup.config(), setup.repository(),
          Services.checkout().resolve("tidemark") + " --config " + setup.configFile));
      NodeRestoreActivities agent = activities.newActivityStub(NodeRestoreActivities.class);

      Path paused = tmp.resolve("paused");
      int port = FreePorts.loopback();
      RestoreResult result = restoreByCommand(setup, backup, paused, port, "pause");
      assertEquals("paused", result.nodes().get(0).state());
      PgCtl pausedServer = new PgCtl(pg.binDirectory(), "pg_ctl", paused);
      OptionalLong pid = pausedServer.runningPid();
      try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "")) {
        assertEquals("true", RestoreEndToEndIT.query(c, "SELECT pg_is_in_recovery()::text"), "paused stays in recovery");
        assertEquals("1000", RestoreEndToEndIT.query(c, "SELECT count(*)::text FROM t"), "and is readable");
      }
      ReplayResult again = agent.replayWal(new ReplayWalInput("retry", CLUSTER, "n1", paused.toString(), port, null, "pause", 16L << 20));
      assertEquals("paused", again.state());
      assertEquals(pid, pausedServer.runningPid(), "the retry re-attached to the running server");
      pausedServer.stop();

      Path shut = tmp.resolve("shutdown");
      RestoreResult down = restoreByCommand(setup, backup, shut, FreePorts.loopback(), "shutdown");
      assertEquals("shutdown", down.nodes().get(0).state());
      PgCtl shutServer = new PgCtl(pg.binDirectory(), "pg_ctl", shut);
      assertTrue(shutServer.runningPid().isEmpty(), "the server shut down at the target");
      assertEquals(ControlFile.State.SHUT_DOWN_IN_RECOVERY, ControlFile.read(shut).state());
      ReplayResult finished = agent.replayWal(new ReplayWalInput("retry", CLUSTER, "n1", shut.toString(),
          down.nodes().get(0).port(), null, "shutdown", 16L << 20));
      assertEquals("shutdown", finished.state());
      assertTrue(shutServer.runningPid().isEmpty(), "a retry after the shutdown does not start the server again");
      activities.close();
    }
  }
}
