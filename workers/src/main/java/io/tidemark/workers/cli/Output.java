package io.tidemark.workers.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tidemark.activities.Json;
import java.io.PrintStream;
import java.util.Locale;

/** Where a command's results go: text for people, or JSON (--output json) for programs. */
public final class Output {

  public enum Format { TEXT, JSON }

  private final PrintStream out;
  private final Format format;

  public Output(PrintStream out, Format format) {
    this.out = out;
    this.format = format;
  }

  public static Format format(String value) {
    if (value == null || value.equals("text")) {
      return Format.TEXT;
    }
    if (value.equals("json")) {
      return Format.JSON;
    }
    throw new CliException("--output is '" + value + "'; valid: text, json");
  }

  public boolean json() {
    return format == Format.JSON;
  }

  public void json(Object value) {
    try {
      out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public void line(String text) {
    out.println(text);
  }

  public PrintStream stream() {
    return out;
  }

  /** 1536 -> "1.5 KiB". */
  public static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }

  public static String duration(long millis) {
    if (millis < 60_000) {
      return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
    }
    long s = millis / 1000;
    return s >= 3600 ? String.format("%dh%02dm%02ds", s / 3600, s / 60 % 60, s % 60)
        : String.format("%dm%02ds", s / 60, s % 60);
  }
}
