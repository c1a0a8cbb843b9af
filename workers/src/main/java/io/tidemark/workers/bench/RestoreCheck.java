package io.tidemark.workers.bench;

import io.tidemark.activities.postgres.Unprivileged;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * The minimal proof that a timed restore worked, run after the clock stopped: start PostgreSQL on
 * the restored directory, let recovery finish, and count the data set's rows. Then stop it and
 * delete the directory.
 */
final class RestoreCheck {

  private final Cmd cmd;
  private final Path pgBin;

  RestoreCheck(Cmd cmd, Path pgBin) {
    this.cmd = cmd;
    this.pgBin = pgBin;
  }

  void verify(DataSet set, Path dir, int port, Path log) throws Exception {
    Unprivileged.own(dir);
    String pgCtl = pgBin.resolve("pg_ctl").toString();
    cmd.runAsPostgres(List.of(pgCtl, "-D", dir.toString(), "-l", log.toString(), "-w", "-t", "600", "start"));
    try {
      awaitPromoted(port);
      long rows = DataSet.count(port, set.checkSql());
      if (rows != set.expectedRows()) {
        throw new IllegalStateException("the restored " + set.name() + " holds " + rows + " rows, not "
            + set.expectedRows() + " (" + dir + ")");
      }
    } finally {
      cmd.runAsPostgres(List.of(pgCtl, "-D", dir.toString(), "-m", "fast", "-w", "-t", "300", "stop"));
    }
    Dirs.remove(dir);
  }

  private static void awaitPromoted(int port) throws Exception {
    Instant deadline = Instant.now().plusSeconds(600);
    while (!"f".equals(inRecovery(port))) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("the restored server on port " + port + " is still in recovery after 10 min");
      }
      Thread.sleep(200);
    }
  }

  private static String inRecovery(int port) {
    try (var c = java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "");
        var st = c.createStatement();
        var rs = st.executeQuery("SELECT pg_is_in_recovery()")) {
      rs.next();
      return rs.getBoolean(1) ? "t" : "f";
    } catch (java.sql.SQLException notYet) {
      return "?";
    }
  }
}
