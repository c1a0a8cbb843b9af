package io.tidemark.activities.postgres;

import io.temporal.failure.ApplicationFailure;
import io.tidemark.activities.config.ConfigLoader;
import io.tidemark.activities.config.NodeSettings;
import io.tidemark.workflows.Failures;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** Opens JDBC connections to a node and turns connection errors into failures that say what to do. */
public final class PgConnections {

  private PgConnections() {}

  public static Connection open(String cluster, NodeSettings node, String applicationName) {
    Properties props = new Properties();
    props.setProperty("user", node.user());
    if (node.password() != null) {
      props.setProperty("password", node.password());
    }
    props.setProperty("ApplicationName", applicationName);
    props.setProperty("connectTimeout", "10");
    props.setProperty("loginTimeout", "20");
    props.setProperty("tcpKeepAlive", "true");
    props.setProperty("socketTimeout", "0");
    String url = "jdbc:postgresql://" + node.host() + ":" + node.port() + "/" + node.database();
    try {
      return DriverManager.getConnection(url, props);
    } catch (SQLException e) {
      throw connectFailure(cluster, node, e);
    }
  }

  static ApplicationFailure connectFailure(String cluster, NodeSettings node, SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    String where = "node " + node.name() + " (" + node.address() + ")";
    if (state.equals("28P01") || state.equals("28000")) {
      return ApplicationFailure.newNonRetryableFailure(
          "PostgreSQL refused user '" + node.user() + "' on " + where + ": " + e.getMessage()
              + ". Check the node's user and its password (" + ConfigLoader.passwordVariable(cluster, node.name())
              + " or TIDEMARK_PG_PASSWORD), and pg_hba.conf.", Failures.AUTHENTICATION);
    }
    if (state.equals("3D000")) {
      return ApplicationFailure.newNonRetryableFailure(
          "database '" + node.database() + "' does not exist on " + where + ": fix the node's 'database' setting",
          Failures.CONFIGURATION);
    }
    return ApplicationFailure.newFailure(
        "cannot connect to " + where + ": " + e.getMessage() + ". Is PostgreSQL running there, and are host and port right?",
        Failures.NODE_UNREACHABLE);
  }

  /** A failure for a query that failed on an open connection. */
  public static ApplicationFailure queryFailure(NodeSettings node, String what, SQLException e) {
    return ApplicationFailure.newFailure(what + " failed on node " + node.name() + ": " + e.getMessage(),
        Failures.NODE_UNREACHABLE);
  }
}
