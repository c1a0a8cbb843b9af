package io.tidemark.workflows.retention;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import io.tidemark.workflows.Failures;
import io.tidemark.workflows.TaskQueues;
import io.tidemark.workflows.activities.RetentionActivities;
import io.tidemark.workflows.activities.RetentionActivities.ExpireBackupInput;
import io.tidemark.workflows.activities.RetentionActivities.ExpireWalInput;
import io.tidemark.workflows.activities.RetentionActivities.ExpiredBackup;
import io.tidemark.workflows.activities.RetentionActivities.Expiry;
import io.tidemark.workflows.activities.RetentionActivities.PlanRetentionInput;
import io.tidemark.workflows.activities.RetentionActivities.RetentionPlan;
import io.tidemark.workflows.activities.RetentionActivities.WalCutoff;
import io.tidemark.workflows.activities.RetentionActivities.WalExpiry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A retention run in workflow code, for a caller that holds the cluster's backup lock: plan, delete
 * the expired backups one by one, then each node's WAL before its oldest kept backup. Backups go
 * before WAL: a crash in between leaves WAL that a later run removes, never a backup without WAL.
 */
public final class RetentionSteps {

  private RetentionSteps() {}

  /** Deletes heartbeat; a crashed worker's run is retried elsewhere and deletes what is left. */
  public static RetentionActivities activities() {
    return Workflow.newActivityStub(RetentionActivities.class, ActivityOptions.newBuilder()
        .setTaskQueue(TaskQueues.SHARED)
        .setStartToCloseTimeout(Duration.ofHours(6))
        .setHeartbeatTimeout(Duration.ofMinutes(1))
        .setRetryOptions(RetryOptions.newBuilder()
            .setInitialInterval(Duration.ofSeconds(1))
            .setMaximumInterval(Duration.ofMinutes(1))
            .setMaximumAttempts(10)
            .setDoNotRetry(Failures.nonRetryable())
            .build())
        .build());
  }

  public static RetentionResult run(RetentionActivities retention, String cluster, Integer full,
      Integer recoveryWindowDays, boolean dryRun) {
    RetentionPlan plan = retention.planRetention(new PlanRetentionInput(cluster, full, recoveryWindowDays, dryRun));
    List<ExpiredBackup> expired = new ArrayList<>();
    for (Expiry backup : plan.expire()) {
      expired.add(retention.expireBackup(new ExpireBackupInput(cluster, backup, dryRun)));
    }
    List<WalExpiry> wal = new ArrayList<>();
    for (WalCutoff cutoff : plan.walCutoffs()) {
      wal.add(retention.expireWal(new ExpireWalInput(cluster, cutoff.node(), cutoff.keepFrom(), dryRun)));
    }
    return new RetentionResult(cluster, plan.policy(), dryRun, null, plan.kept(), expired, wal);
  }
}
