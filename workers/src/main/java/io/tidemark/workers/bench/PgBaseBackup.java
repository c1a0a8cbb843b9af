package io.tidemark.workers.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * pg_basebackup, the baseline every PostgreSQL user has: a plain copy, and a tar stream compressed
 * by the client with zstd level 1 (the same level as the other tools). Both include the WAL
 * (-X fetch), so each copy is complete; both sync their output, as the other tools do.
 */
final class PgBaseBackup {

  private final Path pgBin;
  private final Cmd cmd;
  private final Path work;

  PgBaseBackup(Path pgBin, Cmd cmd, Path work) {
    this.pgBin = pgBin;
    this.cmd = cmd;
    this.work = work;
  }

  Measurement plain(DataSet set) throws Exception {
    return run(set, "pg_basebackup -Fp -X fetch", List.of("-Fp"));
  }

  Measurement clientZstd(DataSet set) throws Exception {
    return run(set, "pg_basebackup -Ft client-zstd:1", List.of("-Ft", "--compress=client-zstd:1"));
  }

  private Measurement run(DataSet set, String tool, List<String> format) throws Exception {
    Path target = work.resolve("basebackup-" + set.name());
    Dirs.remove(target);
    List<String> command = new ArrayList<>(List.of(pgBin.resolve("pg_basebackup").toString(),
        "-h", "127.0.0.1", "-p", String.valueOf(set.pg().port()), "-U", "postgres", "-D", target.toString(),
        "-X", "fetch", "-c", "fast"));
    command.addAll(format);
    Cmd.Result r = cmd.run(command);
    long stored = Dirs.bytes(target);
    Dirs.remove(target);
    return new Measurement("pg_basebackup", tool, "backup", set.name(), set.bytes(), r.wallSeconds(), stored,
        r.cpuSeconds());
  }
}
