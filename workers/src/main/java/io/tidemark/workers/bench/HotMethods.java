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
 * Where a JVM's CPU went, from a JFR recording's execution samples: the share of samples whose
 * top frame is each method (self time), and of those whose stack holds it anywhere (total time).
 */
final class HotMethods {

  private HotMethods() {}

  static String summarize(Path jfr, int top) throws Exception {
    Map<String, Integer> self = new HashMap<>();
    Map<String, Integer> total = new HashMap<>();
    int samples = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
      if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
        continue;
      }
      List<RecordedFrame> frames = e.getStackTrace().getFrames();
      if (frames.isEmpty()) {
        continue;
      }
      samples++;
      self.merge(name(frames.get(0)), 1, Integer::sum);
      frames.stream().map(HotMethods::name).distinct().forEach(n -> total.merge(n, 1, Integer::sum));
    }
    int n = samples;
    StringBuilder s = new StringBuilder("Java execution samples: " + n + " (native code outside the JVM, such as"
        + " zstd, shows under the Java method that called it).\n\n| self | method |\n|---:|---|\n");
    self.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
        .forEach(en -> s.append(String.format(Locale.ROOT, "| %.1f %% | %s |%n", 100.0 * en.getValue() / n, en.getKey())));
    s.append("\n| total | method (io.tidemark only) |\n|---:|---|\n");
    total.entrySet().stream().filter(en -> en.getKey().startsWith("io.tidemark"))
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
        .forEach(en -> s.append(String.format(Locale.ROOT, "| %.1f %% | %s |%n", 100.0 * en.getValue() / n, en.getKey())));
    return s.toString();
  }

  private static String name(RecordedFrame f) {
    return f.getMethod().getType().getName() + "." + f.getMethod().getName();
  }
}
