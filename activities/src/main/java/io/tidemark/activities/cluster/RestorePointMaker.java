package io.tidemark.activities.cluster;

import io.temporal.failure.ApplicationFailure;
import io.tidemark.activities.config.ClusterSettings;
import io.tidemark.activities.config.ConfigException;
import io.tidemark.activities.config.NodeSettings;
import io.tidemark.activities.config.TidemarkConfig;
import io.tidemark.workflows.Failures;
import io.tidemark.workflows.model.RestorePoint;
import io.tidemark.workflows.model.WalFileName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CreateRestorePoint: one restore point on every node of a cluster, made the way its flavor makes
 * it, then a WAL switch on every node so the WAL file holding it gets archived.
 *
 * <ul>
 *   <li>{@code postgres}: in a transaction on the coordinator, the cluster's restorePointBarrier
 *       statements (which hold back the application's distributed commits), then
 *       {@code pg_create_restore_point} on the coordinator and on every segment, then rollback.
 *   <li>{@code citus}: {@code citus_create_restore_point}, which blocks Citus's own two-phase
 *       commits while it makes the point on every node.
 *   <li>{@code greenplum}: {@code gp_create_restore_point} and {@code gp_switch_wal}, which do
 *       every segment from the coordinator.
 * </ul>
 */
public final class RestorePointMaker {

  /** A barrier that cannot get its locks in this time fails the attempt; the next one tries again. */
  static final String LOCK_TIMEOUT = "30s";

  private final TidemarkConfig config;

  public RestorePointMaker(TidemarkConfig config) {
    this.config = config;
  }

  /** The name an attempt uses: the first the plain name, later ones with their number. */
  static String nameFor(String base, int attempt) {
    return attempt <= 1 ? base : base + "-" + attempt;
  }

  public RestorePoint make(String clusterName, String baseName, int attempt) {
    ClusterSettings cluster;
    try {
      cluster = config.requireCluster(clusterName);
    } catch (ConfigException e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), Failures.UNKNOWN_CLUSTER);
    }
    String name = nameFor(baseName, attempt);
    try (NodeConnections connections = new NodeConnections(clusterName)) {
      List<RestorePoint.Node> nodes = switch (cluster.flavor()) {
        case "citus" -> citus(cluster, connections, name);
        case "greenplum" -> greenplum(cluster, connections, name);
        default -> postgres(cluster, connections, name);
      };
      return new RestorePoint(name, cluster.flavor(), Instant.now().toString(), nodes);
    }
  }

  private static List<RestorePoint.Node> postgres(ClusterSettings cluster, NodeConnections connections, String name) {
    NodeSettings coordinator = cluster.coordinator();
    Map<String, String> lsns = new LinkedHashMap<>();
    Connection held = connections.to(coordinator);
    try {
      held.setAutoCommit(false);
      try (Statement st = held.createStatement()) {
        st.execute("SET LOCAL lock_timeout = '" + LOCK_TIMEOUT + "'");
        for (String barrier : cluster.restorePointBarrier()) {
          st.execute(barrier);
        }
      }
      lsns.put(coordinator.name(), createRestorePoint(held, name));
      for (NodeSettings node : cluster.nodes()) {
        if (node != coordinator) {
          lsns.put(node.name(), createRestorePoint(connections.to(node), name));
        }
      }
      held.rollback(); // the barrier's locks go; the restore points are in the WAL already
      held.setAutoCommit(true);
    } catch (SQLException e) {
      throw failure(coordinator, "making restore point " + name, e);
    }
    List<RestorePoint.Node> out = new ArrayList<>();
    for (NodeSettings node : cluster.nodes()) {
      String walFile = switchWal(node, connections.to(node));
      out.add(new RestorePoint.Node(node.name(), lsns.get(node.name()), timelineOf(walFile), walFile));
    }
    return out;
  }

  private static List<RestorePoint.Node> citus(ClusterSettings cluster, NodeConnections connections, String name) {
    NodeSettings coordinator = cluster.coordinator();
    String coordinatorLsn;
    try (PreparedStatement st = connections.to(coordinator).prepareStatement("SELECT citus_create_restore_point(?)::text")) {
      st.setString(1, name);
      coordinatorLsn = single(st);
    } catch (SQLException e) {
      throw failure(coordinator, "citus_create_restore_point", e);
    }
    List<RestorePoint.Node> out = new ArrayList<>();
    for (NodeSettings node : cluster.nodes()) {
      // Citus returns the coordinator's location only; a worker's lies before its WAL switch.
      Connection c = connections.to(node);
      String lsn = node == coordinator ? coordinatorLsn : currentLsn(node, c);
      String walFile = switchWal(node, c);
      out.add(new RestorePoint.Node(node.name(), lsn, timelineOf(walFile), walFile));
    }
    return out;
  }

  private static List<RestorePoint.Node> greenplum(ClusterSettings cluster, NodeConnections connections, String name) {
    NodeSettings coordinator = cluster.coordinator();
    Connection c = connections.to(coordinator);
    Map<Integer, String> lsns = new LinkedHashMap<>();
    Map<Integer, String> walFiles = new LinkedHashMap<>();
    try {
      try (PreparedStatement st = c.prepareStatement(
          "SELECT gp_segment_id, restore_lsn::text FROM gp_create_restore_point(?)")) {
        st.setString(1, name);
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            lsns.put(rs.getInt(1), rs.getString(2));
          }
        }
      }
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT gp_segment_id, pg_walfile_name FROM gp_switch_wal()")) {
        while (rs.next()) {
          walFiles.put(rs.getInt(1), rs.getString(2));
        }
      }
    } catch (SQLException e) {
      throw failure(coordinator, "gp_create_restore_point", e);
    }
    return byContentId(cluster, lsns, walFiles);
  }

  /** Greenplum answers per content id; the configuration says which node each is. */
  static List<RestorePoint.Node> byContentId(ClusterSettings cluster, Map<Integer, String> lsns,
      Map<Integer, String> walFiles) {
    List<RestorePoint.Node> out = new ArrayList<>();
    for (NodeSettings node : cluster.nodes()) {
      String lsn = lsns.get(node.contentId());
      String walFile = walFiles.get(node.contentId());
      if (lsn == null || walFile == null) {
        throw ApplicationFailure.newNonRetryableFailure("Greenplum made its restore point on content ids "
            + lsns.keySet() + ", but node " + node.name() + " is configured as contentId " + node.contentId()
            + ": fix its contentId (gp_segment_configuration.content)", Failures.CONFIGURATION);
      }
      out.add(new RestorePoint.Node(node.name(), lsn, timelineOf(walFile), walFile));
    }
    return out;
  }

  private static String createRestorePoint(Connection c, String name) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT pg_create_restore_point(?)::text")) {
      st.setString(1, name);
      return single(st);
    }
  }

  private static String currentLsn(NodeSettings node, Connection c) {
    try (PreparedStatement st = c.prepareStatement("SELECT pg_current_wal_lsn()::text")) {
      return single(st);
    } catch (SQLException e) {
      throw failure(node, "reading the WAL location", e);
    }
  }

  /** Ends the WAL file in use, so it is archived; returns its name. */
  private static String switchWal(NodeSettings node, Connection c) {
    try (PreparedStatement st = c.prepareStatement("SELECT pg_walfile_name(pg_switch_wal())")) {
      return single(st);
    } catch (SQLException e) {
      throw failure(node, "switching WAL", e);
    }
  }

  private static String single(PreparedStatement st) throws SQLException {
    try (ResultSet rs = st.executeQuery()) {
      rs.next();
      return rs.getString(1);
    }
  }

  static int timelineOf(String walFile) {
    return WalFileName.timelineOf(walFile);
  }

  /** Missing rights or functions are the configuration's to fix; anything else is worth another attempt. */
  static ApplicationFailure failure(NodeSettings node, String what, SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    String message = what + " failed on node " + node.name() + " (" + node.address() + "): " + e.getMessage();
    return switch (state) {
      case "42501" -> ApplicationFailure.newNonRetryableFailure(message + ". The user needs the right to make restore"
          + " points and switch WAL: a superuser, or GRANT EXECUTE ON FUNCTION pg_create_restore_point(text),"
          + " pg_switch_wal() TO " + node.user(), Failures.CONFIGURATION);
      case "42883" -> ApplicationFailure.newNonRetryableFailure(message + ". Is the cluster's flavor right?",
          Failures.CONFIGURATION);
      case "42601", "42P01", "42703", "42P02" -> ApplicationFailure.newNonRetryableFailure(message
          + ". Check the cluster's restorePointBarrier statements", Failures.CONFIGURATION);
      default -> ApplicationFailure.newFailure(message, Failures.RESTORE_POINT_FAILED);
    };
  }
}
