package io.tidemark.workers.bench;

import io.tidemark.activities.postgres.Unprivileged;
import io.tidemark.infra.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * pgBackRest (Debian's), set up as the reference it is in issue 6: a local repository,
 * process-max=2, zst level 1, fast checkpoint. It runs as the same OS user as the servers (through
 * {@link Unprivileged}, like pg_ctl), as pgBackRest requires, and archives through its own
 * archive-push while its runs are measured. Its restore goes into an empty directory.
 */
final class PgBackRest {

  private final Cmd cmd;
  private final Path home;
  private final Path config;
  private final Path pgBin;

  PgBackRest(Cmd cmd, Path work, Path pgBin) {
    this.cmd = cmd;
    this.home = work.resolve("pgbackrest");
    this.config = home.resolve("pgbackrest.conf");
    this.pgBin = pgBin;
  }

  /** Writes the configuration for every data set and creates their stanzas. */
  void setUp(List<DataSet> sets) throws Exception {
    Dirs.remove(home);
    Files.createDirectories(home.resolve("repo"));
    Files.createDirectories(home.resolve("lock"));
    Files.createDirectories(home.resolve("log"));
    Files.createDirectories(home.resolve("spool"));
    StringBuilder s = new StringBuilder("[global]\n")
        .append("repo1-path=").append(home.resolve("repo")).append('\n')
        .append("repo1-retention-full=9999\n")
        .append("process-max=2\n")
        .append("compress-type=zst\n")
        .append("compress-level=1\n")
        .append("start-fast=y\n")
        .append("lock-path=").append(home.resolve("lock")).append('\n')
        .append("log-path=").append(home.resolve("log")).append('\n')
        .append("spool-path=").append(home.resolve("spool")).append('\n')
        .append("log-level-console=warn\n")
        .append("log-level-file=info\n");
    for (DataSet set : sets) {
      s.append('\n').append('[').append(set.name()).append("]\n")
          .append("pg1-path=").append(set.dataDirectory()).append('\n')
          .append("pg1-port=").append(set.pg().port()).append('\n')
          .append("pg1-socket-path=").append(set.pg().base().resolve("s")).append('\n')
          .append("pg1-user=postgres\n");
    }
    Files.writeString(config, s.toString());
    Unprivileged.own(home);
    for (DataSet set : sets) {
      cmd.runAsPostgres(command(set, "stanza-create"));
    }
  }

  String archiveCommand(DataSet set) {
    return "pgbackrest --config=" + config + " --stanza=" + set.name() + " archive-push %p";
  }

  Measurement backup(DataSet set) throws Exception {
    long before = Dirs.bytes(home.resolve("repo/backup/" + set.name()));
    Cmd.Result r = cmd.runAsPostgres(command(set, "backup", "--type=full"));
    long stored = Dirs.bytes(home.resolve("repo/backup/" + set.name())) - before;
    return new Measurement("pgbackrest", "pgBackRest process-max=2 zst:1", "backup", set.name(), set.bytes(),
        r.wallSeconds(), stored, r.cpuSeconds());
  }

  /** Restores the latest backup into {@code target} (made empty first), untouched by any check. */
  Measurement restore(DataSet set, Path target) throws Exception {
    Dirs.fresh(target);
    Unprivileged.own(target);
    Cmd.Result r = cmd.runAsPostgres(command(set, "restore", "--pg1-path=" + target, "--archive-mode=off"));
    return new Measurement("pgbackrest", "pgBackRest process-max=2 zst:1", "restore", set.name(), set.bytes(),
        r.wallSeconds(), 0, r.cpuSeconds());
  }

  /**
   * Starts the restored copy beside its source (its own port, TCP only) and checks its rows; it
   * recovers through pgBackRest's archive-get.
   */
  void verify(DataSet set, Path target, Path log) throws Exception {
    int port = FreePorts.loopback();
    Files.writeString(target.resolve("postgresql.auto.conf"), "port = " + port + "\nunix_socket_directories = ''\n"
        + "archive_mode = off\n", StandardOpenOption.APPEND);
    new RestoreCheck(cmd, pgBin).verify(set, target, port, log);
  }

  private List<String> command(DataSet set, String... action) {
    List<String> c = new java.util.ArrayList<>(List.of("pgbackrest", "--config=" + config, "--stanza=" + set.name()));
    c.addAll(List.of(action));
    return c;
  }
}
