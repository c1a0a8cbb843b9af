package io.tidemark.workers.bench;

import io.tidemark.infra.postgres.LocalPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Builds the two data sets, each in its own initdb'ed cluster: pgbench's (very compressible, about
 * 20x with zstd) and one of random text and bytea (about 2.4x), so that no tool is judged on
 * pgbench's unusually friendly data alone. Both are vacuumed and checkpointed, and autovacuum is
 * off, so the files stay the same through every run.
 */
final class DataSets {

  /** During loading WAL is thrown away; each tool's runs switch archiving to that tool ({@link Archiving}). */
  static final String NO_ARCHIVE = "/bin/true";

  /** About 186 bytes of table and index per random row (measured with PostgreSQL 15). */
  static final long RANDOM_ROW_BYTES = 186;
  static final long RANDOM_CHUNK_ROWS = 500_000;

  private static final String WORDS = "array['harbor','ledger','tide','mark','north','south','account','balance',"
      + "'transfer','pending','settled','coral','reef','anchor','beacon','current']";

  private final Path pgBin;
  private final Cmd cmd;
  private final Log log;

  DataSets(Path pgBin, Cmd cmd, Log log) {
    this.pgBin = pgBin;
    this.cmd = cmd;
    this.log = log;
  }

  DataSet pgbench(int scale) throws Exception {
    LocalPostgres pg = start();
    log.say("pgbench -i -s " + scale + " into " + pg.dataDirectory());
    // Server-side generation (G): no rows cross the connection, which matters on two cores.
    cmd.run(List.of(pgBin.resolve("pgbench").toString(), "-i", "-s", String.valueOf(scale), "-I", "dtGvp", "-q",
        "-h", "127.0.0.1", "-p", String.valueOf(pg.port()), "-U", "postgres", "postgres"));
    return finish("pgbench", "pgbench -i -s " + scale, pg, "SELECT count(*) FROM pgbench_accounts", scale * 100_000L);
  }

  /** Rows of an int, 32 random hex digits, ten words from sixteen, and 16 random bytes: about 2.4x with zstd -1. */
  DataSet random(int megabytes) throws Exception {
    LocalPostgres pg = start();
    long rows = Math.max(RANDOM_CHUNK_ROWS / 10, megabytes * 1_000_000L / RANDOM_ROW_BYTES);
    log.say("random text and bytea: " + rows + " rows into " + pg.dataDirectory());
    DataSet.execute(pg, "CREATE TABLE bench_random (id bigint, n int, t text, b bytea)");
    StringBuilder words = new StringBuilder();
    for (int i = 0; i < 10; i++) {
      words.append(" || ' ' || w[1 + (random() * 15)::int]");
    }
    for (long lo = 1; lo <= rows; lo += RANDOM_CHUNK_ROWS) {
      long hi = Math.min(rows, lo + RANDOM_CHUNK_ROWS - 1);
      DataSet.execute(pg, "INSERT INTO bench_random SELECT g, (random() * 1e9)::int, md5(random()::text)" + words
          + ", uuid_send(gen_random_uuid()) FROM generate_series(" + lo + ", " + hi + ") g, (SELECT " + WORDS + " w) v");
    }
    DataSet.execute(pg, "ALTER TABLE bench_random ADD PRIMARY KEY (id)", "VACUUM (FREEZE, ANALYZE) bench_random");
    return finish("random", "random text and bytea, " + megabytes + " MB asked", pg,
        "SELECT count(*) FROM bench_random", rows);
  }

  private LocalPostgres start() throws IOException, InterruptedException {
    return LocalPostgres.start(pgBin, 15, LocalPostgres.Options.defaults().withArchiveCommand(NO_ARCHIVE)
        .withSettings(List.of("autovacuum = off", "max_wal_size = 4GB", "checkpoint_timeout = 30min")));
  }

  private DataSet finish(String name, String description, LocalPostgres pg, String checkSql, long rows) throws Exception {
    DataSet.execute(pg, "CHECKPOINT");
    Path dir = pg.dataDirectory();
    DataSet set = new DataSet(name, description, pg, Dirs.dataBytes(dir), Dirs.dataFiles(dir).size(), checkSql, rows);
    log.say(name + ": " + Report.mb(set.bytes()) + " MB in " + set.files() + " files");
    return set;
  }
}
