package io.tidemark.workers.cli;

import java.io.PrintStream;

/**
 * A live progress line for {@code --wait}: on a terminal it redraws itself in place; anywhere else
 * (a log, a pipe) it prints a line only when the phase changes or another tenth is done, so logs
 * stay short. It goes to standard error, leaving standard output to the result.
 */
final class ProgressLine {

  /** What one look at a running workflow shows. */
  record Snapshot(String phase, long bytesDone, long bytes, long filesDone, long files, long bytesPerSecond,
      long etaSeconds, String detail) {

    int percent() {
      return bytes <= 0 ? 0 : (int) Math.min(100, bytesDone * 100 / bytes);
    }
  }

  static final int BAR_WIDTH = 24;

  private final PrintStream out;
  private final boolean terminal;
  private int drawnWidth;
  private String lastKey;

  ProgressLine(PrintStream out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  /** On a terminal when standard error is one: the JVM knows only of a console on both ends. */
  static ProgressLine forStandardError(PrintStream err) {
    return new ProgressLine(err, System.console() != null);
  }

  void show(Snapshot s) {
    String text = render(s);
    if (terminal) {
      out.print("\r" + text + " ".repeat(Math.max(0, drawnWidth - text.length())));
      out.flush();
      drawnWidth = text.length();
      return;
    }
    String key = s.phase() + " " + (s.percent() / 10);
    if (!key.equals(lastKey)) {
      out.println(text);
      lastKey = key;
    }
  }

  /** Ends the line on a terminal, so what follows starts on a fresh one. */
  void end() {
    if (terminal && drawnWidth > 0) {
      out.println();
      drawnWidth = 0;
    }
  }

  static String render(Snapshot s) {
    StringBuilder line = new StringBuilder(String.format("%-12s", s.phase()));
    if (s.bytes() > 0) {
      int filled = s.percent() * BAR_WIDTH / 100;
      line.append('[').append("#".repeat(filled)).append(".".repeat(BAR_WIDTH - filled)).append("] ")
          .append(String.format("%3d%%", s.percent())).append("  ")
          .append(Output.bytes(s.bytesDone())).append(" of ").append(Output.bytes(s.bytes()))
          .append("  ").append(s.filesDone()).append('/').append(s.files()).append(" files");
      if (s.bytesPerSecond() > 0) {
        line.append("  ").append(Output.bytes(s.bytesPerSecond())).append("/s");
      }
      if (s.etaSeconds() >= 0 && s.bytesDone() < s.bytes()) {
        line.append("  ETA ").append(Output.duration(s.etaSeconds() * 1000));
      }
    }
    if (s.detail() != null && !s.detail().isEmpty()) {
      line.append("  (").append(s.detail()).append(')');
    }
    return line.toString();
  }
}
