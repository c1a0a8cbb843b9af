package io.tidemark.workflows.restore;

import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import io.tidemark.workflows.Failures;
import io.tidemark.workflows.activities.NodeRestoreActivities;
import java.time.Duration;
import java.util.Map;

/** Timeouts and retries of the restore activities. */
final class RestoreStubs {

  private RestoreStubs() {}

  private static RetryOptions retries(int attempts) {
    return RetryOptions.newBuilder()
        .setInitialInterval(Duration.ofSeconds(1))
        .setBackoffCoefficient(2)
        .setMaximumInterval(Duration.ofMinutes(1))
        .setMaximumAttempts(attempts)
        .setDoNotRetry(Failures.nonRetryable())
        .build();
  }

  static NodeRestoreActivities node(String taskQueue) {
    ActivityOptions base = ActivityOptions.newBuilder()
        .setTaskQueue(taskQueue)
        .setScheduleToStartTimeout(Duration.ofMinutes(10))
        .setStartToCloseTimeout(Duration.ofHours(12))
        .setHeartbeatTimeout(Duration.ofSeconds(30))
        .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
        .setRetryOptions(retries(10))
        .build();
    return Workflow.newActivityStub(NodeRestoreActivities.class, base, Map.of(
        "PrepareRestore", ActivityOptions.newBuilder(base).setStartToCloseTimeout(Duration.ofMinutes(10))
            .setRetryOptions(retries(3)).build(),
        "RunSql", ActivityOptions.newBuilder(base).setStartToCloseTimeout(Duration.ofHours(1))
            .setRetryOptions(retries(3)).build(),
        "WriteRecoveryConfig", ActivityOptions.newBuilder(base).setStartToCloseTimeout(Duration.ofMinutes(10))
            .setRetryOptions(retries(5)).build(),
        // Replaying a week of WAL takes a while; a retry re-attaches to the server already started.
        "ReplayWal", ActivityOptions.newBuilder(base).setStartToCloseTimeout(Duration.ofDays(7))
            .setHeartbeatTimeout(Duration.ofSeconds(60)).setRetryOptions(retries(5)).build()));
  }
}
