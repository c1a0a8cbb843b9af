package io.tidemark.workflows.schedule;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import io.tidemark.workflows.backup.BackupRequest;

/**
 * One scheduled backup, for Temporal servers without the Schedules API: started as a cron workflow
 * (type {@value #TYPE}, task queue {@code tidemark}), each run backs the cluster up through
 * {@code ClusterBackup} and ends; the server starts the next run at the next cron time. Where the
 * server has Schedules, {@code tidemark schedule} makes a Schedule that starts ClusterBackup
 * itself, and this workflow is not used.
 */
@WorkflowInterface
public interface ScheduledBackupWorkflow {

  String TYPE = "ScheduledBackup";

  @WorkflowMethod(name = TYPE)
  ScheduledBackupRun run(BackupRequest request);
}
