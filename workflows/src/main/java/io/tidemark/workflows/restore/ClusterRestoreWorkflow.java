package io.tidemark.workflows.restore;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Restores a backup of a cluster, every node in parallel, to a point in time. Start it by type
 * name {@value #TYPE} on task queue {@code tidemark} with one JSON {@link RestoreRequest}.
 */
@WorkflowInterface
public interface ClusterRestoreWorkflow {

  String TYPE = "ClusterRestore";

  @WorkflowMethod(name = TYPE)
  RestoreResult restore(RestoreRequest request);
}
