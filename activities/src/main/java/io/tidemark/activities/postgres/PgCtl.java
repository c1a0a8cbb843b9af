package io.tidemark.activities.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * pg_ctl for one data directory, run unprivileged. The binary's name is configurable (LightDB
 * calls it lt_ctl).
 */
public final class PgCtl {

  private final Path pgCtl;
  private final Path dataDirectory;

  public PgCtl(Path binDirectory, String pgCtlName, Path dataDirectory) {
    this.pgCtl = binDirectory.resolve(pgCtlName);
    this.dataDirectory = dataDirectory;
  }

  /** Starts the server and returns at once; follow it through its log, postmaster.pid and SQL. */
  public void start(Path logFile) throws IOException, InterruptedException {
    run(List.of("-l", logFile.toString(), "-W", "start"));
  }

  public void stop() throws IOException, InterruptedException {
    run(List.of("-m", "fast", "-w", "-t", "300", "stop"));
  }

  /** Stops the server without a checkpoint: for a server whose data is about to be thrown away. */
  public void stopImmediately() throws IOException, InterruptedException {
    run(List.of("-m", "immediate", "-w", "-t", "60", "stop"));
  }

  /** The postmaster's pid if one is running on this data directory. */
  public OptionalLong runningPid() throws IOException {
    List<String> lines;
    try {
      lines = Files.readAllLines(dataDirectory.resolve("postmaster.pid"), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return OptionalLong.empty();
    }
    if (lines.isEmpty() || !lines.get(0).trim().matches("\\d+")) {
      return OptionalLong.empty();
    }
    long pid = Long.parseLong(lines.get(0).trim());
    return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isPresent() ? OptionalLong.of(pid) : OptionalLong.empty();
  }

  private void run(List<String> action) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(pgCtl.toString(), "-D", dataDirectory.toString()));
    cmd.addAll(action);
    ProcessBuilder pb = new ProcessBuilder(Unprivileged.command(cmd)).redirectErrorStream(true);
    pb.directory(dataDirectory.toFile());
    pb.environment().put("LC_ALL", "C");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + out.trim());
    }
  }
}
