package io.tidemark.activities.restore;

import io.temporal.failure.ApplicationFailure;
import io.tidemark.activities.config.NodeSettings;
import io.tidemark.activities.postgres.ControlFile;
import io.tidemark.activities.postgres.PgConnections;
import io.tidemark.activities.postgres.PgCtl;
import io.tidemark.activities.postgres.ServerLog;
import io.tidemark.activities.postgres.Unprivileged;
import io.tidemark.activities.runtime.Heartbeat;
import io.tidemark.workflows.Failures;
import io.tidemark.workflows.activities.NodeRestoreActivities.ReplayResult;
import io.tidemark.workflows.activities.NodeRestoreActivities.ReplayWalInput;
import io.tidemark.workflows.model.WalFileName;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * ReplayWal: starts PostgreSQL on the restored directory, unprivileged, unless a previous attempt
 * already did (its postmaster.pid says so), then follows recovery by SQL until the server has
 * promoted, paused at the target or shut down there. A server that exits otherwise is explained
 * from its log: the last WAL file it restored and its last fatal message.
 */
final class WalReplayer {

  static final String LOG_FILE = "tidemark-restore.log";
  private static final Duration POLL = Duration.ofMillis(500);
  /** How long a just-started postmaster may take to write postmaster.pid. */
  private static final Duration START_GRACE = Duration.ofSeconds(60);

  private final NodeDefaults defaults;

  WalReplayer(NodeDefaults defaults) {
    this.defaults = defaults;
  }

  ReplayResult replay(ReplayWalInput in, Heartbeat heartbeat) throws IOException, InterruptedException {
    Path dir = Path.of(in.dataDirectory()).normalize();
    Path log = dir.resolve(LOG_FILE);
    PgCtl pgCtl = new PgCtl(defaults.binDirectory(in.cluster(), in.node(), in.binDirectory()),
        defaults.pgCtl(in.cluster(), in.node()), dir);
    NodeSettings server = defaults.restoredServer(in.cluster(), in.node(), in.port(), in.dataDirectory());

    boolean seenRunning = pgCtl.runningPid().isPresent();
    long startedAt = System.nanoTime();
    if (!seenRunning) {
      ControlFile.Summary control = ControlFile.read(dir);
      if (in.action().equals("shutdown") && control.state() == ControlFile.State.SHUT_DOWN_IN_RECOVERY
          && ServerLog.read(log).contains("shutdown at recovery target")) {
        return finished(dir, log, control); // an earlier attempt saw it through
      }
      RestoreMarker.markStarted(dir);
      Unprivileged.own(dir);
      pgCtl.start(log);
    }
    String progress = "starting PostgreSQL";
    while (true) {
      heartbeat.beat(progress);
      boolean running = pgCtl.runningPid().isPresent();
      seenRunning |= running;
      if (!running && !seenRunning && System.nanoTime() - startedAt < START_GRACE.toNanos()
          && ServerLog.read(log).lastFatal() == null) {
        Thread.sleep(POLL.toMillis()); // still starting: postmaster.pid is not written yet
        continue;
      }
      if (!running) {
        Thread.sleep(POLL.toMillis()); // let the log and pg_control settle
        ControlFile.Summary control = ControlFile.read(dir);
        if (in.action().equals("shutdown") && control.state() == ControlFile.State.SHUT_DOWN_IN_RECOVERY) {
          return finished(dir, log, control);
        }
        throw failed(in.node(), log, in.walSegmentSize());
      }
      try (Connection c = PgConnections.open(in.cluster(), server, "tidemark restore")) {
        Recovery r = Recovery.query(c);
        if (!r.inRecovery) {
          RestoreMarker.remove(dir);
          return new ReplayResult("promoted", r.lsn, r.timeline, r.lastTransactionTime);
        }
        if (r.paused) {
          RestoreMarker.remove(dir);
          return new ReplayResult("paused", r.lsn, r.timeline, r.lastTransactionTime);
        }
        progress = "replayed up to " + r.lsn;
      } catch (ApplicationFailure notYet) {
        if (!Failures.NODE_UNREACHABLE.equals(notYet.getType())) {
          throw notYet; // wrong credentials or database: waiting will not help
        }
        // starting up, or still before the consistent point: not accepting connections yet
      } catch (SQLException closing) {
        // the server went away while we looked; the next round tells why
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  private static ReplayResult finished(Path dir, Path log, ControlFile.Summary control) throws IOException {
    RestoreMarker.remove(dir);
    String redoDone = ServerLog.read(log).redoDoneAt();
    return new ReplayResult("shutdown", redoDone != null ? redoDone : control.checkpointLsn(),
        control.checkpointTimeline(), null);
  }

  private static ApplicationFailure failed(String node, Path log, long segmentSize) throws IOException {
    ServerLog serverLog = ServerLog.read(log);
    String fatal = serverLog.lastFatal();
    String lastWal = serverLog.lastRestoredSegment();
    StringBuilder m = new StringBuilder("recovery of node ").append(node).append(" failed: PostgreSQL exited");
    if (fatal != null) {
      m.append(" with \"").append(fatal).append('"');
    } else {
      m.append("; its log ends:\n").append(serverLog.tail(15)).append('\n');
    }
    m.append(". Last WAL file restored from the archive: ").append(lastWal == null ? "none" : lastWal).append('.');
    if (fatal != null && fatal.contains("before configured recovery target was reached")) {
      String missing = lastWal == null || segmentSize <= 0 ? null : WalFileName.segmentName(WalFileName.timelineOf(lastWal),
          WalFileName.segmentNumberOf(lastWal, segmentSize) + 1, segmentSize);
      m.append(" The archive has no ").append(missing == null ? "further WAL" : "WAL file " + missing)
          .append(": the target lies beyond the archived WAL, or that file is lost. Choose an earlier target,")
          .append(" or archive the missing WAL.");
    }
    m.append(" Server log: ").append(log);
    return ApplicationFailure.newNonRetryableFailure(m.toString(), Failures.RECOVERY_FAILED);
  }

  /** One look at a recovering server. */
  private record Recovery(boolean inRecovery, boolean paused, String lsn, int timeline, String lastTransactionTime) {

    static Recovery query(Connection c) {
      try (Statement st = c.createStatement()) {
        boolean v14 = queryInt(st, "SELECT current_setting('server_version_num')::int") >= 140000;
        String paused = v14 ? "pg_get_wal_replay_pause_state() = 'paused'" : "pg_is_wal_replay_paused()";
        try (ResultSet rs = st.executeQuery("SELECT pg_is_in_recovery(),"
            + " CASE WHEN pg_is_in_recovery() THEN " + paused + " ELSE false END,"
            + " CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END::text,"
            + " CASE WHEN pg_is_in_recovery() THEN (SELECT timeline_id FROM pg_control_checkpoint())"
            + "      ELSE ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int END,"
            + " pg_last_xact_replay_timestamp()::text")) {
          rs.next();
          return new Recovery(rs.getBoolean(1), rs.getBoolean(2), rs.getString(3), rs.getInt(4), rs.getString(5));
        }
      } catch (SQLException e) {
        throw ApplicationFailure.newFailure("cannot read the recovery state: " + e.getMessage(), Failures.NODE_UNREACHABLE);
      }
    }

    private static int queryInt(Statement st, String sql) throws SQLException {
      try (ResultSet rs = st.executeQuery(sql)) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }
}
