package io.tidemark.workflows.retention;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInfo;
import io.tidemark.workflows.json.Requests;
import io.tidemark.workflows.FailureText;
import io.tidemark.workflows.Failures;
import io.tidemark.workflows.TaskQueues;
import io.tidemark.workflows.activities.ClusterActivities;
import io.tidemark.workflows.activities.ClusterActivities.BackupLock;
import java.time.Duration;

/** Takes the backup lock (or skips when a backup holds it), runs {@link RetentionSteps}, releases the lock. */
public class ClusterRetentionWorkflowImpl implements ClusterRetentionWorkflow {

  private final ClusterActivities cluster = Workflow.newActivityStub(ClusterActivities.class,
      ActivityOptions.newBuilder()
          .setTaskQueue(TaskQueues.SHARED)
          .setStartToCloseTimeout(Duration.ofMinutes(2))
          .setRetryOptions(RetryOptions.newBuilder()
              .setMaximumInterval(Duration.ofSeconds(30))
              .setMaximumAttempts(10)
              .setDoNotRetry(Failures.nonRetryable())
              .build())
          .build());

  @Override
  public RetentionResult expire(RetentionRequest request) {
    RetentionRequest req = Requests.validated(request, "{\"cluster\": \"main\"}", RetentionRequest::validated);
    WorkflowInfo info = Workflow.getInfo();
    BackupLock lock = new BackupLock(req.cluster(), BackupLock.RETENTION, info.getWorkflowId(), info.getRunId());
    try {
      // False only when a dead retention run's lock was just cleared: take it on the next try.
      while (!cluster.acquireBackupLock(lock)) {
        Workflow.sleep(Duration.ofSeconds(1));
      }
    } catch (ActivityFailure f) {
      if (f.getCause() instanceof ApplicationFailure a && Failures.BACKUP_IN_PROGRESS.equals(a.getType())) {
        return RetentionResult.skipped(req.cluster(), req.dryRun(), FailureText.of(f));
      }
      throw f;
    }
    try {
      return RetentionSteps.run(RetentionSteps.activities(), req.cluster(), req.full(), req.recoveryWindowDays(),
          req.dryRun());
    } finally {
      Workflow.newDetachedCancellationScope(() -> cluster.releaseBackupLock(lock)).run();
    }
  }
}
