package io.tidemark.workers.bench;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;

/** Progress lines on the console, each with the time of day. */
final class Log {

  private final PrintStream out;

  Log(PrintStream out) {
    this.out = out;
  }

  void step(String text) {
    out.println();
    out.println(LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " ==> " + text);
    out.flush();
  }

  void say(String text) {
    out.println(LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + "     " + text);
    out.flush();
  }
}
