package io.tidemark.workers.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a JVM's -Xlog:gc file. Every collection logs the heap in use before and after it, and the
 * heap's size: the largest "before" is the peak the heap reached (it only grows between
 * collections), the largest "after" the most data that was ever live at once.
 */
final class GcLog {

  /** @param peakUsed bytes in use at the fullest moment seen; maxLive after a collection; committed the heap's size */
  record HeapUse(long peakUsed, long maxLive, long committed, int collections) {
    HeapUse with(long usedNow) {
      return new HeapUse(Math.max(peakUsed, usedNow), maxLive, committed, collections);
    }
  }

  private static final Pattern GC = Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");

  private GcLog() {}

  static HeapUse read(Path file) throws IOException {
    long peak = 0;
    long live = 0;
    long committed = 0;
    int count = 0;
    for (String line : Files.readAllLines(file)) {
      Matcher m = GC.matcher(line);
      if (m.find()) {
        count++;
        peak = Math.max(peak, bytes(m.group(1), m.group(2)));
        live = Math.max(live, bytes(m.group(3), m.group(4)));
        committed = Math.max(committed, bytes(m.group(5), m.group(6)));
      }
    }
    return new HeapUse(peak, live, committed, count);
  }

  private static long bytes(String number, String unit) {
    long n = Long.parseLong(number);
    return switch (unit) {
      case "K" -> n << 10;
      case "M" -> n << 20;
      default -> n << 30;
    };
  }
}
