package io.tidemark.activities.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** What a backup needs to know about a running server, read in one query. */
public record ServerFacts(
    int versionNum,
    String systemIdentifier,
    boolean dataChecksums,
    long walSegmentSize,
    String walLevel,
    String archiveMode,
    String archiveCommand,
    String archiveLibrary,
    boolean inRecovery,
    String dataDirectory) {

  public static ServerFacts query(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT current_setting('server_version_num')::int,"
            + " (SELECT system_identifier FROM pg_control_system())::text,"
            + " current_setting('data_checksums') = 'on',"
            + " (SELECT setting::bigint FROM pg_settings WHERE name = 'wal_segment_size'),"
            + " current_setting('wal_level'), current_setting('archive_mode'),"
            + " current_setting('archive_command'), current_setting('archive_library', true),"
            + " pg_is_in_recovery(), current_setting('data_directory')")) {
      rs.next();
      return new ServerFacts(rs.getInt(1), rs.getString(2), rs.getBoolean(3), rs.getLong(4), rs.getString(5),
          rs.getString(6), rs.getString(7), rs.getString(8), rs.getBoolean(9), rs.getString(10));
    }
  }

  public int major() {
    return PgVersions.major(versionNum);
  }

  public boolean archives() {
    return !archiveMode.equals("off")
        && ((archiveCommand != null && !archiveCommand.isBlank() && !archiveCommand.equals("(disabled)"))
            || (archiveLibrary != null && !archiveLibrary.isBlank()));
  }
}
