package io.tidemark.activities.restore;

import io.temporal.failure.ApplicationFailure;
import io.tidemark.activities.postgres.PgConnections;
import io.tidemark.workflows.Failures;
import io.tidemark.workflows.activities.NodeRestoreActivities.RunSqlInput;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * RunSql: the cluster's afterRestore statements on the restored coordinator. They run in one
 * transaction, so a retried attempt never finds half of them done: all ran, or none did.
 */
final class AfterRestoreRunner {

  private final NodeDefaults defaults;

  AfterRestoreRunner(NodeDefaults defaults) {
    this.defaults = defaults;
  }

  void run(RunSqlInput in) throws SQLException {
    try (Connection c = PgConnections.open(in.cluster(), defaults.restoredServer(in.cluster(), in.node(), in.port(),
        in.dataDirectory()), "tidemark after-restore")) {
      c.setAutoCommit(false);
      for (int i = 0; i < in.statements().size(); i++) {
        String sql = in.statements().get(i);
        try (Statement st = c.createStatement()) {
          st.execute(sql);
        } catch (SQLException e) {
          c.rollback();
          throw ApplicationFailure.newNonRetryableFailure("afterRestore statement " + (i + 1) + " of "
              + in.statements().size() + " (" + sql + ") failed: " + e.getMessage() + "; none of them was applied",
              Failures.CONFIGURATION);
        }
      }
      c.commit();
    }
  }
}
