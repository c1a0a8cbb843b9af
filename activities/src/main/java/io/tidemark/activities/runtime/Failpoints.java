package io.tidemark.activities.runtime;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Named moments at which a worker process stops dead, for crash tests: with
 * {@code TIDEMARK_FAILPOINT=SendFiles@2} the process freezes at the second heartbeat of a
 * SendFiles activity, with {@code TIDEMARK_FAILPOINT=StopBackup} as a StopBackup activity starts.
 * It says so on standard error and waits to be killed; the test kills it with SIGKILL. Unset (as
 * always outside tests) nothing happens.
 */
public final class Failpoints {

  private static final Failpoint ARMED = Failpoint.parse(System.getenv("TIDEMARK_FAILPOINT"));
  private static final AtomicInteger beats = new AtomicInteger();

  private Failpoints() {}

  public static boolean armed() {
    return ARMED != null;
  }

  /** An activity of this type starts on this process. */
  public static void activityStarting(String activityType) {
    if (ARMED != null && ARMED.beat == 0 && ARMED.activity.equals(activityType)) {
      freeze(activityType);
    }
  }

  /** An activity of this type heartbeats on this process. */
  public static void heartbeat(String activityType) {
    if (ARMED != null && ARMED.beat > 0 && ARMED.activity.equals(activityType)
        && beats.incrementAndGet() == ARMED.beat) {
      freeze(activityType + "@" + ARMED.beat);
    }
  }

  private static void freeze(String where) {
    System.err.println("tidemark failpoint reached: " + where);
    System.err.flush();
    while (true) {
      try {
        Thread.sleep(Long.MAX_VALUE);
      } catch (InterruptedException ignored) {
        // stay frozen: only SIGKILL ends this
      }
    }
  }

  /** ACTIVITY or ACTIVITY@N (the Nth heartbeat). */
  record Failpoint(String activity, int beat) {
    static Failpoint parse(String spec) {
      if (spec == null || spec.isBlank()) {
        return null;
      }
      int at = spec.indexOf('@');
      return at < 0 ? new Failpoint(spec.trim(), 0)
          : new Failpoint(spec.substring(0, at).trim(), Integer.parseInt(spec.substring(at + 1).trim()));
    }
  }
}
