package io.tidemark.workflows.backup;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
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

  @QueryMethod(name = "progress", description = "Phase, and per node: files and bytes done of the total, rate,"
      + " ETA, files reused and bytes re-sent after crashes")
  BackupProgress progress();

  @SignalMethod(name = "nodeProgress", description = "Internal: a node backup's progress report")
  void nodeProgress(NodeBackupProgress progress);
}
