package io.tidemark.workers.bench;

import io.tidemark.infra.LocalArtifacts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Tidemark worker in its own JVM, as it runs in production ({@code java -Xmx512m -jar tidemark.jar
 * worker}), with a GC log from which its peak heap use is read, and its CPU time taken from /proc
 * around each run. Optionally it records a JFR profile.
 */
final class WorkerJvm implements AutoCloseable {

  static final String HEAP = "-Xmx512m";
  /** What the launcher gives a worker: page checksums through the Vector API. */
  static final String[] VECTOR = {"--add-modules", "jdk.incubator.vector"};

  private final Process process;
  private final Path gcLog;
  private final Path jfr;
  private GcLog.HeapUse heap;
  private long peakResident = -1;

  private WorkerJvm(Process process, Path gcLog, Path jfr) {
    this.process = process;
    this.gcLog = gcLog;
    this.jfr = jfr;
  }

  static WorkerJvm start(Path jar, Path config, Path dir, String name, boolean profile) throws Exception {
    Path log = dir.resolve("worker-" + name + ".log");
    Path gcLog = dir.resolve("worker-" + name + "-gc.log");
    Path jfr = profile ? dir.resolve("worker-" + name + ".jfr") : null;
    List<String> command = new ArrayList<>(List.of(LocalArtifacts.java(), HEAP, VECTOR[0], VECTOR[1],
        "-Xlog:gc:file=" + gcLog));
    String launcher = System.getProperty("tidemark.launcher");
    if (launcher != null) {
      command.add("-Dtidemark.launcher=" + launcher);
    }
    if (profile) {
      command.add("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile,dumponexit=true");
    }
    command.addAll(List.of("-jar", jar.toString(), "--config", config.toString(), "worker"));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    WorkerJvm worker = new WorkerJvm(p, gcLog, jfr);
    Instant deadline = Instant.now().plusSeconds(120);
    while (!Files.readString(log).contains("worker polling")) {
      if (!p.isAlive() || Instant.now().isAfter(deadline)) {
        p.destroyForcibly();
        throw new IOException("the worker did not start; its log ends:\n" + Cmd.tail(Files.readString(log), 30));
      }
      Thread.sleep(100);
    }
    return worker;
  }

  double cpuSeconds() {
    return ProcStat.cpuSeconds(process.pid());
  }

  Path profile() {
    return jfr;
  }

  /** Stops the worker (SIGTERM: it finishes what it does) and reads what its heap went through. */
  @Override
  public void close() throws Exception {
    if (heap != null) {
      return;
    }
    long usedNow = usedNow();
    peakResident = ProcStat.peakResidentBytes(process.pid());
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
    heap = GcLog.read(gcLog).with(usedNow);
  }

  GcLog.HeapUse heap() {
    return heap;
  }

  long peakResidentBytes() {
    return peakResident;
  }

  private static final Pattern USED = Pattern.compile("total (\\d+)K, used (\\d+)K");

  /** The heap in use right now, from jcmd: covers a worker that never needed a collection. */
  private long usedNow() {
    try {
      Path jcmd = Path.of(LocalArtifacts.java()).resolveSibling("jcmd");
      Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(process.pid()), "GC.heap_info")
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      p.waitFor(30, TimeUnit.SECONDS);
      Matcher m = USED.matcher(out);
      return m.find() ? Long.parseLong(m.group(2)) << 10 : 0;
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }
}
