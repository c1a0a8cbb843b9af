package io.tidemark.workers.quickstart;

import io.tidemark.infra.postgres.LocalPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The quickstart's data: a small bank, and a stream of transfers while the backup runs. Transfers
 * move money, never make it: the total balance is the same at every consistent point in time.
 */
final class DemoDatabase {

  private final LocalPostgres pg;

  DemoDatabase(LocalPostgres pg) {
    this.pg = pg;
  }

  void create() throws Exception {
    try (Connection c = pg.connect()) {
      Quickstart.execute(c, "CREATE TABLE accounts (id int PRIMARY KEY, owner text NOT NULL, balance bigint NOT NULL)");
      Quickstart.execute(c, "INSERT INTO accounts SELECT g, 'owner ' || g, 1000 FROM generate_series(1, 200000) g");
      Quickstart.execute(c, "CREATE TABLE transfers (id bigserial PRIMARY KEY, src int, dst int, amount bigint,"
          + " at timestamptz DEFAULT now())");
      Quickstart.execute(c, "CHECKPOINT");
    }
  }

  String describe() throws SQLException {
    try (Connection c = pg.connect(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*), pg_size_pretty(pg_database_size('postgres')) FROM accounts")) {
      rs.next();
      return rs.getLong(1) + " accounts, database size " + rs.getString(2);
    }
  }

  Writer startWriting() throws SQLException {
    return new Writer(pg.connect());
  }

  /** What the bank looks like: how many transfers, and all the money (which never changes). */
  record State(long transfers, long money) {}

  static State state(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT (SELECT count(*) FROM transfers), (SELECT sum(balance) FROM accounts)")) {
      rs.next();
      return new State(rs.getLong(1), rs.getLong(2));
    }
  }

  State state() throws SQLException {
    try (Connection c = pg.connect()) {
      return state(c);
    }
  }

  /** The server's clock now, as PostgreSQL prints a timestamptz: a recovery target. */
  String now() throws SQLException {
    try (Connection c = pg.connect(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT clock_timestamp()::text")) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** Closes the current WAL segment so that it is archived, and returns its name. */
  String switchWal() throws SQLException {
    try (Connection c = pg.connect(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT pg_walfile_name(pg_switch_wal())")) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** Transfers money between random accounts until stopped. */
  static final class Writer implements AutoCloseable {
    private final Connection connection;
    private final AtomicLong rows = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    Writer(Connection connection) {
      this.connection = connection;
      this.thread = new Thread(this::loop, "demo-writes");
      this.thread.setDaemon(true);
      this.thread.start();
    }

    private void loop() {
      try (Statement st = connection.createStatement()) {
        while (running) {
          st.execute("WITH t AS (INSERT INTO transfers (src, dst, amount) SELECT 1 + (random() * 199999)::int,"
              + " 1 + (random() * 199999)::int, 1 + (random() * 100)::int FROM generate_series(1, 50) RETURNING src, dst, amount)"
              + " UPDATE accounts a SET balance = balance + d.delta FROM (SELECT id, sum(delta) AS delta FROM"
              + " (SELECT src AS id, -amount AS delta FROM t UNION ALL SELECT dst, amount FROM t) m GROUP BY id) d"
              + " WHERE a.id = d.id");
          rows.addAndGet(50);
          Thread.sleep(20);
        }
      } catch (SQLException | InterruptedException e) {
        // the quickstart is shutting down
      }
    }

    long stop() throws InterruptedException {
      running = false;
      thread.join(10_000);
      return rows.get();
    }

    @Override
    public void close() throws Exception {
      running = false;
      thread.join(10_000);
      connection.close();
    }
  }
}
