package io.tidemark.activities.runtime;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Named moments at which a worker process stops dead, for crash tests: with
 * {@code TIDEMARK_FAILPOINT=SendFiles@2} the process freezes at the second heartbeat of a
 * SendFiles activity, with {@code TIDEMARK_FAILPOINT=StopBackup} as a StopBackup activity starts.
 * It says so on standard error and waits to be killed; the test kills it with SIGKILL. With
 * {@code TIDEMARK_FAILPOINT=SendFiles~3} every SendFiles pauses three seconds as it starts instead,
 * so that a worker started later gets a share of the batches. Unset (as always outside tests)
 * nothing happens.
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
    if (ARMED == null || !ARMED.activity.equals(activityType)) {
      return;
    }
    if (ARMED.pauseSeconds > 0) {
      pause(activityType, ARMED.pauseSeconds);
    } else if (ARMED.beat == 0) {
      freeze(activityType);
    }
  }

  private static void pause(String activityType, int seconds) {
    System.err.println("tidemark failpoint pause: " + activityType + " for " + seconds + " s");
    System.err.flush();
    try {
      Thread.sleep(seconds * 1000L);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** An activity of this type heartbeats on this process. */
  public static void heartbeat(String activityType) {
    if (ARMED != null && ARMED.beat > 0 && ARMED.pauseSeconds == 0 && ARMED.activity.equals(activityType)
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

  /** ACTIVITY, ACTIVITY@N (the Nth heartbeat) or ACTIVITY~S (pause S seconds, every time). */
  record Failpoint(String activity, int beat, int pauseSeconds) {
    static Failpoint parse(String spec) {
      if (spec == null || spec.isBlank()) {
        return null;
      }
      int tilde = spec.indexOf('~');
      if (tilde >= 0) {
        return new Failpoint(spec.substring(0, tilde).trim(), 0, Integer.parseInt(spec.substring(tilde + 1).trim()));
      }
      int at = spec.indexOf('@');
      return at < 0 ? new Failpoint(spec.trim(), 0, 0)
          : new Failpoint(spec.substring(0, at).trim(), Integer.parseInt(spec.substring(at + 1).trim()), 0);
    }
  }
}
