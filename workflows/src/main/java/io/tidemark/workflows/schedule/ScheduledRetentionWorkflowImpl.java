package io.tidemark.workflows.schedule;

import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import io.tidemark.workflows.FailureText;
import io.tidemark.workflows.TaskQueues;
import io.tidemark.workflows.WorkflowIds;
import io.tidemark.workflows.retention.ClusterRetentionWorkflow;
import io.tidemark.workflows.retention.RetentionRequest;
import io.tidemark.workflows.retention.RetentionResult;

/** Runs ClusterRetention as a child under the id a manual run takes; never fails, so the cron goes on. */
public class ScheduledRetentionWorkflowImpl implements ScheduledRetentionWorkflow {

  @Override
  public RetentionResult run(RetentionRequest request) {
    String cluster = request == null ? null : request.cluster();
    boolean dryRun = request != null && Boolean.TRUE.equals(request.dryRun());
    ClusterRetentionWorkflow retention = Workflow.newChildWorkflowStub(ClusterRetentionWorkflow.class,
        ChildWorkflowOptions.newBuilder()
            .setWorkflowId(WorkflowIds.retention(cluster))
            .setTaskQueue(TaskQueues.SHARED)
            .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON)
            .build());
    try {
      return retention.expire(request);
    } catch (ChildWorkflowFailure e) {
      if (e.getCause() instanceof WorkflowExecutionAlreadyStarted) {
        return RetentionResult.skipped(cluster, dryRun, "a retention run of cluster " + cluster + " was running ("
            + WorkflowIds.retention(cluster) + ")");
      }
      return RetentionResult.skipped(cluster, dryRun, "failed: " + FailureText.of(e));
    }
  }
}
