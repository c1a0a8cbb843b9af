package io.tidemark.workflows.schedule;

import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import io.tidemark.workflows.FailureText;
import io.tidemark.workflows.TaskQueues;
import io.tidemark.workflows.WorkflowIds;
import io.tidemark.workflows.backup.BackupRequest;
import io.tidemark.workflows.backup.ClusterBackupWorkflow;
import io.tidemark.workflows.model.BackupRecord;

/**
 * Runs ClusterBackup as a child under the id a manual backup would take, so a run that finds a
 * backup of the cluster running skips instead of queueing behind it. The child is abandoned, not
 * cancelled, if the schedule is deleted mid-backup: deleting a schedule never cuts a backup short.
 * A failed backup ends the run normally, with the failure in its result: a cron workflow that
 * failed would not be started again.
 */
public class ScheduledBackupWorkflowImpl implements ScheduledBackupWorkflow {

  @Override
  public ScheduledBackupRun run(BackupRequest request) {
    String cluster = request == null ? null : request.cluster();
    ClusterBackupWorkflow backup = Workflow.newChildWorkflowStub(ClusterBackupWorkflow.class,
        ChildWorkflowOptions.newBuilder()
            .setWorkflowId(WorkflowIds.backup(cluster))
            .setTaskQueue(TaskQueues.SHARED)
            .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON)
            .build());
    try {
      BackupRecord record = backup.backup(request);
      return new ScheduledBackupRun(cluster, record.isCompleted() ? ScheduledBackupRun.COMPLETED : ScheduledBackupRun.FAILED,
          record.id(), record.error());
    } catch (ChildWorkflowFailure e) {
      if (e.getCause() instanceof WorkflowExecutionAlreadyStarted) {
        return new ScheduledBackupRun(cluster, ScheduledBackupRun.SKIPPED, null,
            "a backup of cluster " + cluster + " was running (" + WorkflowIds.backup(cluster) + ")");
      }
      return new ScheduledBackupRun(cluster, ScheduledBackupRun.FAILED, null, FailureText.of(e));
    }
  }
}
