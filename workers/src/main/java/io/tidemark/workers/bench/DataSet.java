package io.tidemark.workers.bench;

import io.tidemark.infra.postgres.LocalPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One data set: its own PostgreSQL cluster, loaded and idle, and what a restored copy of it must
 * hold ({@code checkSql} returns {@code expectedRows}).
 *
 * @param name also the Tidemark cluster name and pgBackRest stanza
 * @param bytes the data directory's size, pg_wal left out: the numerator of every MB/s
 */
record DataSet(String name, String description, LocalPostgres pg, long bytes, long files, String checkSql,
    long expectedRows) {

  Path dataDirectory() {
    return pg.dataDirectory();
  }

  /** Runs {@code checkSql} on a server at {@code port}: the restored copy's row count. */
  static long count(int port, String sql) throws SQLException {
    try (Connection c = java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres",
        "postgres", "");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static void execute(LocalPostgres pg, String... sql) throws SQLException {
    try (Connection c = pg.connect(); Statement st = c.createStatement()) {
      for (String s : sql) {
        st.execute(s);
      }
    }
  }

  static String query(LocalPostgres pg, String sql) throws SQLException {
    try (Connection c = pg.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
