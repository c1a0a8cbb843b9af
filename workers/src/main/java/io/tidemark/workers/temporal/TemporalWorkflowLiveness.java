package io.tidemark.workers.temporal;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.tidemark.activities.backup.WorkflowLiveness;

/** Asks the Temporal server whether a workflow run is still running. */
public final class TemporalWorkflowLiveness implements WorkflowLiveness {

  private final WorkflowClient client;

  public TemporalWorkflowLiveness(WorkflowClient client) {
    this.client = client;
  }

  @Override
  public boolean isRunning(String workflowId, String runId) {
    try {
      WorkflowExecutionStatus status = client.getWorkflowServiceStubs().blockingStub()
          .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
              .setNamespace(client.getOptions().getNamespace())
              .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId).setRunId(runId))
              .build())
          .getWorkflowExecutionInfo().getStatus();
      return status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return false;
      }
      throw e;
    }
  }
}
