package io.tidemark.workers.bench;

import java.time.Duration;
import java.time.Instant;

/**
 * Points a server's archive_command at the tool being measured, so each tool waits only for its own
 * archiving (one JVM per segment for Tidemark, pgBackRest's archive-push for pgBackRest) and never
 * for the others'. Before switching it waits until the previous command has archived everything,
 * so no segment lands in the wrong tool's archive.
 */
final class Archiving {

  private Archiving() {}

  static void use(DataSet set, String command) throws Exception {
    awaitIdle(set, Duration.ofMinutes(5));
    DataSet.execute(set.pg(), "ALTER SYSTEM SET archive_command = '" + command.replace("'", "''") + "'",
        "SELECT pg_reload_conf()");
    Instant deadline = Instant.now().plusSeconds(30);
    while (!command.equals(DataSet.query(set.pg(), "SHOW archive_command"))) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(set.name() + ": archive_command did not change after a reload");
      }
      Thread.sleep(50);
    }
  }

  /** Waits until no WAL segment is waiting to be archived. */
  static void awaitIdle(DataSet set, Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    String pending = "SELECT count(*) FROM pg_ls_dir('pg_wal/archive_status') f WHERE f LIKE '%.ready'";
    while (!"0".equals(DataSet.query(set.pg(), pending))) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(set.name() + ": WAL still waits to be archived after " + timeout + "; "
            + DataSet.query(set.pg(), "SELECT last_failed_wal || ' failed at ' || last_failed_time FROM pg_stat_archiver"));
      }
      Thread.sleep(200);
    }
  }
}
