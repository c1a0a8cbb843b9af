package io.tidemark.workflows.backup;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import io.tidemark.workflows.model.NodeBackupRecord;

/** Backs up one node; a child of {@link ClusterBackupWorkflow}. */
@WorkflowInterface
public interface NodeBackupWorkflow {

  String TYPE = "NodeBackup";

  @WorkflowMethod(name = TYPE)
  NodeBackupRecord backup(NodeBackupInput input);
}
