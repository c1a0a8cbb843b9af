package io.tidemark.workflows.backup;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import io.tidemark.workflows.model.BackupRecord;

/**
 * Backs up every node of a cluster and commits one backup record. Start it by type name
 * {@value #TYPE} on task queue {@code tidemark} with one JSON {@link BackupRequest}.
 */
@WorkflowInterface
public interface ClusterBackupWorkflow {

  String TYPE = "ClusterBackup";

  @WorkflowMethod(name = TYPE)
  BackupRecord backup(BackupRequest request);
}
