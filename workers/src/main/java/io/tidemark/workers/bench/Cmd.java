package io.tidemark.workers.bench;

import io.tidemark.activities.postgres.Unprivileged;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs an outside program, timed: its wall seconds and, through /usr/bin/time, the CPU seconds of
 * it and every child it waited for. Output goes to a log file, so a failure can quote its tail.
 */
final class Cmd {

  /** @param cpuSeconds user + system seconds of the program and its children, or -1 when unknown */
  record Result(String output, double wallSeconds, double cpuSeconds) {}

  private static final Path TIME = Path.of("/usr/bin/time");

  private final Path log;

  Cmd(Path log) {
    this.log = log;
  }

  /** As this JVM's user (root): client programs such as pg_basebackup and pgbench. */
  Result run(List<String> command) throws IOException, InterruptedException {
    return exec(command);
  }

  /** As PostgreSQL's own user ({@link Unprivileged}): pg_ctl, and pgBackRest, which must match the server. */
  Result runAsPostgres(List<String> command) throws IOException, InterruptedException {
    return exec(Unprivileged.command(command));
  }

  private Result exec(List<String> command) throws IOException, InterruptedException {
    Path times = Files.createTempFile("bench-time-", ".txt");
    try {
      List<String> full = new ArrayList<>();
      boolean timed = Files.isExecutable(TIME);
      if (timed) {
        full.addAll(List.of(TIME.toString(), "-f", "%U %S", "-o", times.toString()));
      }
      full.addAll(command);
      Path out = Files.createTempFile("bench-out-", ".txt");
      ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(out.toFile());
      pb.environment().put("LC_ALL", "C");
      long start = System.nanoTime();
      Process p = pb.start();
      boolean finished = p.waitFor(2, TimeUnit.HOURS);
      double wall = (System.nanoTime() - start) / 1e9;
      String output = Files.readString(out, StandardCharsets.UTF_8);
      Files.deleteIfExists(out);
      Files.writeString(log, "$ " + String.join(" ", command) + "\n" + output + "\n", StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
      if (!finished) {
        p.destroyForcibly();
        throw new IOException("timed out: " + String.join(" ", command));
      }
      if (p.exitValue() != 0) {
        throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ":\n" + tail(output, 20));
      }
      return new Result(output, wall, timed ? cpu(times) : -1);
    } finally {
      Files.deleteIfExists(times);
    }
  }

  private static double cpu(Path times) throws IOException {
    String[] parts = Files.readString(times).trim().split("\\s+");
    try {
      return Double.parseDouble(parts[parts.length - 2]) + Double.parseDouble(parts[parts.length - 1]);
    } catch (RuntimeException e) {
      return -1;
    }
  }

  static String tail(String text, int lines) {
    List<String> all = text.lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }
}
