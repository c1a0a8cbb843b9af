package io.tidemark.activities.runtime;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.util.Optional;

/**
 * An activity's link to its workflow: report progress (which also tells Temporal the worker is
 * alive, and throws once the activity is cancelled), and read what an earlier attempt reported.
 */
public interface Heartbeat {

  void beat(Object details);

  <T> Optional<T> previous(Class<T> type);

  int attempt();

  /** The running Temporal activity's heartbeat. Call from the activity's own thread. */
  static Heartbeat ofCurrentActivity() {
    ActivityExecutionContext ctx = Activity.getExecutionContext();
    return new Heartbeat() {
      @Override
      public void beat(Object details) {
        ctx.heartbeat(details);
        if (Failpoints.armed()) {
          Failpoints.heartbeat(ctx.getInfo().getActivityType());
        }
      }

      @Override
      public <T> Optional<T> previous(Class<T> type) {
        return ctx.getHeartbeatDetails(type);
      }

      @Override
      public int attempt() {
        return ctx.getInfo().getAttempt();
      }
    };
  }

  /** For code run outside an activity: nothing is reported, nothing was. */
  static Heartbeat none() {
    return new Heartbeat() {
      @Override
      public void beat(Object details) {}

      @Override
      public <T> Optional<T> previous(Class<T> type) {
        return Optional.empty();
      }

      @Override
      public int attempt() {
        return 1;
      }
    };
  }
}
