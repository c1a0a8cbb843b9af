package io.tidemark.workflows.restore;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Restores a backup of a cluster, every node in parallel, to one point: by default the backup's
 * cluster restore point. Start it by type name {@value #TYPE} on task queue {@code tidemark} with
 * one JSON {@link RestoreRequest}. A node that fails waits for {@code retryNode} or
 * {@code abandonNode}; the others go on.
 */
@WorkflowInterface
public interface ClusterRestoreWorkflow {

  String TYPE = "ClusterRestore";

  @WorkflowMethod(name = TYPE)
  RestoreResult restore(RestoreRequest request);

  @QueryMethod(name = "status", description = "Every node's phase, progress and last error")
  RestoreStatus status();

  @QueryMethod(name = "progress", description = "The same as status, named as ClusterBackup's: per node phase,"
      + " files and bytes done of the total, rate and ETA")
  RestoreStatus progress();

  @UpdateMethod(name = "retryNode", description = "Restore a failed node again, optionally to a new"
      + " dataDirectory, port or taskQueue: {\"node\": \"seg2\"}")
  NodeStatus retryNode(RetryNodeRequest request);

  @UpdateValidatorMethod(updateName = "retryNode")
  void validateRetryNode(RetryNodeRequest request);

  @UpdateMethod(name = "abandonNode", description = "Give up on a failed node; the restore then fails"
      + " naming it: {\"node\": \"seg2\", \"reason\": \"disk replaced\"}")
  NodeStatus abandonNode(AbandonNodeRequest request);

  @UpdateValidatorMethod(updateName = "abandonNode")
  void validateAbandonNode(AbandonNodeRequest request);

  /** Sent by the NodeRestore children; not for people. */
  @SignalMethod(name = "nodeProgress", description = "Internal: a node restore's progress report")
  void nodeProgress(NodeProgress progress);
}
