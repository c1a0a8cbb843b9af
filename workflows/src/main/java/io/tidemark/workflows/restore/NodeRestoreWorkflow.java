package io.tidemark.workflows.restore;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** Restores one node; a child of {@link ClusterRestoreWorkflow}. */
@WorkflowInterface
public interface NodeRestoreWorkflow {

  String TYPE = "NodeRestore";

  @WorkflowMethod(name = TYPE)
  NodeRestoreResult restore(NodeRestoreInput input);
}
