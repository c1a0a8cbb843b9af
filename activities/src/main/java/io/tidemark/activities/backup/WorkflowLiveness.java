package io.tidemark.activities.backup;

/** Whether a workflow run is still running: decides if a lock it holds is stale. */
@FunctionalInterface
public interface WorkflowLiveness {
  boolean isRunning(String workflowId, String runId);
}
