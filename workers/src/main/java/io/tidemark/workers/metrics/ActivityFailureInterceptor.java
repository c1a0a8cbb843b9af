package io.tidemark.workers.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.failure.ApplicationFailure;
import io.tidemark.activities.metrics.MetricNames;

/**
 * Counts failed activity attempts by activity type and by what failed them: the Tidemark failure
 * type (UnknownCluster, WalNotArchived, …) when the activity classified it, else the exception's
 * class. The SDK's own metrics say that an activity failed; this says why. Messages are never
 * tags: they may name hosts and paths and would make a series per failure.
 */
public final class ActivityFailureInterceptor extends WorkerInterceptorBase {

  private final MeterRegistry registry;

  public ActivityFailureInterceptor(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
    return new ActivityInboundCallsInterceptorBase(next) {
      private String type;

      @Override
      public void init(ActivityExecutionContext context) {
        type = context.getInfo().getActivityType();
        super.init(context);
      }

      @Override
      public ActivityOutput execute(ActivityInput input) {
        try {
          return super.execute(input);
        } catch (RuntimeException | Error e) {
          count(registry, type, failureType(e));
          throw e;
        }
      }
    };
  }

  static void count(MeterRegistry registry, String activity, String failure) {
    Counter.builder(MetricNames.ACTIVITY_FAILURES).description("failed activity attempts, by activity and cause")
        .tag("activity", activity).tag("failure", failure).register(registry).increment();
  }

  /** The classified failure type, else the class of the innermost cause. */
  static String failureType(Throwable e) {
    if (e instanceof ApplicationFailure failure && failure.getType() != null) {
      return failure.getType();
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName();
  }
}
