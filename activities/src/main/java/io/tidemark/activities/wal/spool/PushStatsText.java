package io.tidemark.activities.wal.spool;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link PushStats} as lines of text. Not JSON: wal-push runs in a fresh JVM for every WAL file,
 * and Jackson's first (de)serialization of a record costs it tens of milliseconds; these few
 * lines take well under one. The last line is {@code end}, so a file cut short is recognised.
 */
final class PushStatsText {

  private static final String HEADER = "# tidemark wal-push: transfers of WAL files to the repository, cumulative\n"
      + "# series PUSH OUTCOME COUNT SUM_NANOS BYTES MAX_MINUTE MAX_NANOS PREVIOUS_MAX_NANOS BUCKET_COUNTS...\n";

  private PushStatsText() {}

  static String format(PushStats stats) {
    StringBuilder b = new StringBuilder(HEADER);
    b.append("format ").append(stats.format()).append('\n');
    b.append("bounds");
    for (double bound : stats.boundsSeconds()) {
      b.append(' ').append(bound);
    }
    b.append('\n');
    for (PushStats.Series s : stats.series()) {
      b.append("series ").append(s.push()).append(' ').append(s.outcome()).append(' ').append(s.count()).append(' ')
          .append(s.sumNanos()).append(' ').append(s.bytes()).append(' ').append(s.maxMinute()).append(' ')
          .append(s.maxNanos()).append(' ').append(s.previousMaxNanos());
      for (long n : s.buckets()) {
        b.append(' ').append(n);
      }
      b.append('\n');
    }
    return b.append("end\n").toString();
  }

  /** The stats the text holds; empty if it is not whole or not well formed. */
  static Optional<PushStats> parse(String text) {
    int format = -1;
    List<Double> bounds = null;
    List<PushStats.Series> series = new ArrayList<>();
    boolean ended = false;
    try {
      for (String line : text.split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        if (ended) {
          return Optional.empty();
        }
        String[] w = line.split(" ");
        switch (w[0]) {
          case "format" -> format = Integer.parseInt(w[1]);
          case "bounds" -> {
            bounds = new ArrayList<>();
            for (int i = 1; i < w.length; i++) {
              bounds.add(Double.valueOf(w[i]));
            }
          }
          case "series" -> {
            List<Long> buckets = new ArrayList<>();
            for (int i = 9; i < w.length; i++) {
              buckets.add(Long.valueOf(w[i]));
            }
            series.add(new PushStats.Series(w[1], w[2], Long.parseLong(w[3]), Long.parseLong(w[4]),
                Long.parseLong(w[5]), List.copyOf(buckets), Long.parseLong(w[6]), Long.parseLong(w[7]),
                Long.parseLong(w[8])));
          }
          case "end" -> ended = true;
          default -> { } // a later version's addition
        }
      }
    } catch (RuntimeException malformed) {
      return Optional.empty();
    }
    return ended && bounds != null ? Optional.of(new PushStats(format, List.copyOf(bounds), List.copyOf(series)))
        : Optional.empty();
  }
}
