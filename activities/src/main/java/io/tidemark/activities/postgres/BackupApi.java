package io.tidemark.activities.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * PostgreSQL's non-exclusive backup API, which changed names in 15: pg_start_backup(label, fast,
 * false) / pg_stop_backup(false, wait) before, pg_backup_start(label, fast) /
 * pg_backup_stop(wait) since. Both calls must run on the same connection.
 */
public final class BackupApi {

  /**
   * What pg_backup_stop returns. The label and map are kept as the exact bytes the server sent:
   * they must be stored byte for byte.
   */
  public record StopResult(String lsn, byte[] labelFile, byte[] tablespaceMap) {}

  private BackupApi() {}

  public static String start(Connection c, int versionNum, String label, boolean fast) throws SQLException {
    String sql = PgVersions.major(versionNum) >= 15
        ? "SELECT pg_backup_start(?, ?)::text"
        : "SELECT pg_start_backup(?, ?, false)::text";
    try (PreparedStatement st = c.prepareStatement(sql)) {
      st.setString(1, label);
      st.setBoolean(2, fast);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  /**
   * Stops the backup without PostgreSQL's own wait for archiving: Tidemark waits for the WAL to
   * reach its repository instead, with a deadline and a message that says what is missing.
   */
  public static StopResult stop(Connection c, int versionNum) throws SQLException {
    String sql = PgVersions.major(versionNum) >= 15
        ? "SELECT lsn::text, labelfile, spcmapfile FROM pg_backup_stop(false)"
        : "SELECT lsn::text, labelfile, spcmapfile FROM pg_stop_backup(false, false)";
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      byte[] map = rs.getBytes(3);
      return new StopResult(rs.getString(1), rs.getBytes(2), map == null || map.length == 0 ? null : map);
    }
  }

  public static int checkpointTimeline(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT timeline_id FROM pg_control_checkpoint()")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
