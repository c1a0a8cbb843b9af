package io.tidemark.workers.bench;

import io.tidemark.infra.LocalArtifacts;
import io.tidemark.workflows.model.BackupRecord;
import io.tidemark.workflows.model.NodeBackupRecord;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs {@link DirectTransfer} in a JVM with the worker's heap, against the same repository and
 * data as the workflow runs, and reads its RESULT line. Its time excludes the JVM's start and
 * warm-up, as the workflow runs' excludes the worker's.
 */
final class DirectRuns {

  private final Path jar;
  private final Path config;
  private final Cmd cmd;
  private final int settleSeconds;

  DirectRuns(Path jar, Path config, Cmd cmd, int settleSeconds) {
    this.jar = jar;
    this.config = config;
    this.cmd = cmd;
    this.settleSeconds = settleSeconds;
  }

  static String tool(int parallelism) {
    return "Tidemark engine direct, local p=" + parallelism;
  }

  Measurement backup(DataSet set, int parallelism) throws Exception {
    Map<String, String> r = run("backup", "cluster=" + set.name(), "parallelism=" + parallelism);
    return new Measurement("direct", tool(parallelism), "backup", set.name(), set.bytes(),
        Double.parseDouble(r.get("seconds")), Long.parseLong(r.get("stored")), Double.parseDouble(r.get("cpu")));
  }

  /** Fetches the files of a backup the workflows made into {@code target}, then deletes them. */
  Measurement restore(DataSet set, BackupRecord backup, Path target, int parallelism) throws Exception {
    NodeBackupRecord node = backup.nodes().get(0);
    Map<String, String> r = run("restore", "cluster=" + set.name(), "parallelism=" + parallelism,
        "backup=" + backup.id(), "session=" + node.session(), "batches=" + node.batches(), "target=" + target);
    Dirs.remove(target);
    return new Measurement("direct", tool(parallelism), "restore", set.name(), set.bytes(),
        Double.parseDouble(r.get("seconds")), 0, Double.parseDouble(r.get("cpu")));
  }

  private Map<String, String> run(String mode, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(LocalArtifacts.java(), WorkerJvm.HEAP,
        WorkerJvm.VECTOR[0], WorkerJvm.VECTOR[1], "-cp", jar.toString(),
        DirectTransfer.class.getName(), mode, "config=" + config, "settle=" + settleSeconds));
    command.addAll(List.of(args));
    String out = cmd.run(command).output();
    String line = out.lines().filter(l -> l.startsWith("RESULT ")).reduce((x, y) -> y)
        .orElseThrow(() -> new IllegalStateException("DirectTransfer printed no result:\n" + Cmd.tail(out, 20)));
    Map<String, String> values = new HashMap<>();
    for (String part : line.substring(7).split(" ")) {
      int eq = part.indexOf('=');
      values.put(part.substring(0, eq), part.substring(eq + 1));
    }
    return values;
  }
}
