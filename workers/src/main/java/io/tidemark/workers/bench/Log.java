package io.tidemark.workers.bench;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/** Progress lines on the console, each with the time of day. */
final class Log {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

  private final PrintStream out;

  Log(PrintStream out) {
    this.out = out;
  }

  void step(String text) {
    out.println();
    out.println(TIME.format(LocalTime.now()) + " ==> " + text);
    out.flush();
  }

  void say(String text) {
    out.println(TIME.format(LocalTime.now()) + "     " + text);
    out.flush();
  }
}
