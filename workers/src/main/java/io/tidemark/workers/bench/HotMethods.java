package io.tidemark.workers.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a JVM's time went, from a JFR recording: of the samples of threads running Java code, the
 * share whose top frame is each method (self) and whose stack holds it anywhere (total); and of
 * the samples of Tidemark's threads in native code (JFR cannot see inside it), the native method
 * they were in.
 */
final class HotMethods {

  private HotMethods() {}

  static String summarize(Path jfr, int top) throws Exception {
    Map<String, Integer> self = new HashMap<>();
    Map<String, Integer> total = new HashMap<>();
    Map<String, Integer> natives = new HashMap<>();
    int samples = 0;
    int nativeSamples = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
      String type = e.getEventType().getName();
      if (e.getStackTrace() == null || e.getStackTrace().getFrames().isEmpty()) {
        continue;
      }
      List<RecordedFrame> frames = e.getStackTrace().getFrames();
      if (type.equals("jdk.ExecutionSample")) {
        samples++;
        self.merge(name(frames.get(0)), 1, Integer::sum);
        frames.stream().map(HotMethods::name).distinct().forEach(n -> total.merge(n, 1, Integer::sum));
      } else if (type.equals("jdk.NativeMethodSample") && frames.stream().anyMatch(f -> name(f).startsWith("io.tidemark"))) {
        // Only Tidemark's own threads: Temporal's and gRPC's idle pollers also wait in native code.
        nativeSamples++;
        natives.merge(name(frames.get(0)), 1, Integer::sum);
      }
    }
    int n = samples;
    int nn = nativeSamples;
    StringBuilder s = new StringBuilder("Threads running Java code, " + n + " samples:\n\n| self | method |\n|---:|---|\n");
    self.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
        .forEach(en -> s.append(String.format(Locale.ROOT, "| %.1f %% | %s |%n", 100.0 * en.getValue() / n, en.getKey())));
    s.append("\n| total | method (io.tidemark only) |\n|---:|---|\n");
    total.entrySet().stream().filter(en -> en.getKey().startsWith("io.tidemark"))
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
        .forEach(en -> s.append(String.format(Locale.ROOT, "| %.1f %% | %s |%n", 100.0 * en.getValue() / n, en.getKey())));
    s.append("\nTidemark's threads in native code (zstd, reads, writes, fsync, sockets), " + nn + " samples:\n\n"
        + "| share | native method |\n|---:|---|\n");
    natives.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
        .forEach(en -> s.append(String.format(Locale.ROOT, "| %.1f %% | %s |%n", 100.0 * en.getValue() / nn, en.getKey())));
    return s.toString();
  }

  private static String name(RecordedFrame f) {
    return f.getMethod().getType().getName() + "." + f.getMethod().getName();
  }
}
