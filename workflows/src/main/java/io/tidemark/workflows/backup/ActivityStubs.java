package io.tidemark.workflows.backup;

import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import io.tidemark.workflows.Failures;
import io.tidemark.workflows.TaskQueues;
import io.tidemark.workflows.activities.ClusterActivities;
import io.tidemark.workflows.activities.CoordinatorActivities;
import io.tidemark.workflows.activities.NodeBackupActivities;
import io.tidemark.workflows.activities.SessionActivities;
import java.time.Duration;
import java.util.Map;

/**
 * The timeouts and retries of every backup activity, in one place.
 *
 * <p>Long activities heartbeat; a crashed worker is noticed within the heartbeat timeout and the
 * activity is retried elsewhere. Activities on a node's queue wait up to ten minutes for an agent,
 * so an agent restart does not fail the backup. Session activities wait only the request's session
 * timeout (a minute by default): a session queue is never polled again once its process is gone.
 */
final class ActivityStubs {

  static final Duration NODE_QUEUE_WAIT = Duration.ofMinutes(10);
  static final Duration HEARTBEAT = Duration.ofSeconds(30);

  private ActivityStubs() {}

  private static RetryOptions retries(int attempts, Duration maxInterval) {
    return RetryOptions.newBuilder()
        .setInitialInterval(Duration.ofSeconds(1))
        .setBackoffCoefficient(2)
        .setMaximumInterval(maxInterval)
        .setMaximumAttempts(attempts)
        .setDoNotRetry(Failures.nonRetryable())
        .build();
  }

  static ClusterActivities cluster() {
    return Workflow.newActivityStub(ClusterActivities.class, ActivityOptions.newBuilder()
        .setTaskQueue(TaskQueues.SHARED)
        .setStartToCloseTimeout(Duration.ofMinutes(2))
        .setRetryOptions(retries(10, Duration.ofSeconds(30)))
        .build());
  }

  /**
   * Counting what a lost session leaves to send again is bookkeeping, never a reason to wait: a few
   * quick tries, and no longer in all than the lost session waits for its batches to stop.
   */
  static ClusterActivities openPackCounter() {
    return Workflow.newActivityStub(ClusterActivities.class, ActivityOptions.newBuilder()
        .setTaskQueue(TaskQueues.SHARED)
        .setScheduleToCloseTimeout(HEARTBEAT.multipliedBy(2))
        .setStartToCloseTimeout(Duration.ofSeconds(20))
        .setRetryOptions(retries(3, Duration.ofSeconds(5)))
        .build());
  }

  static NodeBackupActivities node(String taskQueue, int walArchiveTimeoutSeconds) {
    ActivityOptions base = ActivityOptions.newBuilder()
        .setTaskQueue(taskQueue)
        .setScheduleToStartTimeout(NODE_QUEUE_WAIT)
        .setStartToCloseTimeout(Duration.ofHours(12))
        .setHeartbeatTimeout(HEARTBEAT)
        .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
        .setRetryOptions(retries(10, Duration.ofMinutes(1)))
        .build();
    Map<String, ActivityOptions> perMethod = Map.of(
        // A refused connection is worth a few quick tries (a restarting server), not ten.
        "StartBackup", ActivityOptions.newBuilder(base)
            .setStartToCloseTimeout(Duration.ofHours(2))
            .setRetryOptions(retries(3, Duration.ofSeconds(5)))
            .build(),
        "WaitForWal", ActivityOptions.newBuilder(base)
            .setStartToCloseTimeout(Duration.ofSeconds(walArchiveTimeoutSeconds).plusMinutes(5))
            .setRetryOptions(retries(3, Duration.ofSeconds(10)))
            .build());
    return Workflow.newActivityStub(NodeBackupActivities.class, base, perMethod);
  }

  /** A restore point is quick; a few tries ride out a node restarting, then the backup says why it failed. */
  static CoordinatorActivities coordinator(String taskQueue) {
    return Workflow.newActivityStub(CoordinatorActivities.class, ActivityOptions.newBuilder()
        .setTaskQueue(taskQueue)
        .setScheduleToStartTimeout(NODE_QUEUE_WAIT)
        .setStartToCloseTimeout(Duration.ofMinutes(10))
        .setRetryOptions(retries(5, Duration.ofSeconds(30)))
        .build());
  }

  static SessionActivities stopper(String sessionQueue, Duration sessionTimeout) {
    return Workflow.newActivityStub(SessionActivities.class, ActivityOptions.newBuilder()
        .setTaskQueue(sessionQueue)
        .setScheduleToStartTimeout(sessionTimeout)
        .setStartToCloseTimeout(Duration.ofMinutes(10))
        .setRetryOptions(retries(3, Duration.ofSeconds(5)))
        .build());
  }

  /**
   * @param abandon stop watching without asking the watcher to stop: it ends by itself once the
   *     session is stopped or ended. Asking raced with that end, and the SDK's test server then
   *     saw a second cancellation request of one activity, failed the workflow task, and the
   *     backup hung (DistributedClusterIT, once backups got fast enough to be stopping when a
   *     sibling failed). Watchers of older runs are still asked, as they were.
   */
  static SessionActivities watcher(String sessionQueue, Duration sessionTimeout, boolean abandon) {
    return Workflow.newActivityStub(SessionActivities.class, ActivityOptions.newBuilder()
        .setTaskQueue(sessionQueue)
        .setScheduleToStartTimeout(sessionTimeout)
        .setStartToCloseTimeout(Duration.ofDays(30))
        .setHeartbeatTimeout(Duration.ofSeconds(20))
        .setCancellationType(abandon ? ActivityCancellationType.ABANDON : ActivityCancellationType.TRY_CANCEL)
        // A watcher that stops heartbeating means its process is gone, and the session with it; a
        // retry would only wait on that process's queue. (The SDK's test server even lets such a
        // retry wait forever.)
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
        .build());
  }
}
