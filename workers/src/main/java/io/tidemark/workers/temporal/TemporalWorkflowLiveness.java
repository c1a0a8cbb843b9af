package io.tidemark.workers.temporal;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflow.v1.PendingChildExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DataConverterException;
import io.tidemark.activities.backup.PendingHeartbeats;
import io.tidemark.activities.backup.WorkflowLiveness;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the Temporal server about a workflow run: whether it is still running, and what its pending
 * activities last reported in their heartbeats (read with the client's data converter, the one the
 * workers wrote them with).
 */
public final class TemporalWorkflowLiveness implements WorkflowLiveness, PendingHeartbeats {

  private static final Logger log = LoggerFactory.getLogger(TemporalWorkflowLiveness.class);

  private final WorkflowClient client;

  public TemporalWorkflowLiveness(WorkflowClient client) {
    this.client = client;
  }

  @Override
  public boolean isRunning(String workflowId, String runId) {
    return describe(workflowId, runId)
        .map(d -> d.getWorkflowExecutionInfo().getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING)
        .orElse(false);
  }

  @Override
  public <T> Pending<T> pending(String workflowId, String runId, String activityType, Class<T> type) {
    Optional<DescribeWorkflowExecutionResponse> described = describe(workflowId, runId);
    if (described.isEmpty()) {
      return Pending.none();
    }
    DataConverter converter = client.getOptions().getDataConverter();
    List<T> details = new ArrayList<>();
    for (PendingActivityInfo a : described.get().getPendingActivitiesList()) {
      if (!a.getActivityType().getName().equals(activityType) || a.getHeartbeatDetails().getPayloadsCount() == 0) {
        continue;
      }
      try {
        details.add(converter.fromPayloads(0, Optional.of(a.getHeartbeatDetails()), type, type));
      } catch (DataConverterException e) {
        log.warn("heartbeat details of activity {} of {} are not a {}: {}", a.getActivityId(), workflowId,
            type.getSimpleName(), e.getMessage());
      }
    }
    List<String> children = described.get().getPendingChildrenList().stream()
        .map(PendingChildExecutionInfo::getWorkflowId).toList();
    return new Pending<>(List.copyOf(details), children);
  }

  private Optional<DescribeWorkflowExecutionResponse> describe(String workflowId, String runId) {
    try {
      return Optional.of(client.getWorkflowServiceStubs().blockingStub()
          .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
              .setNamespace(client.getOptions().getNamespace())
              .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId).setRunId(runId))
              .build()));
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }
}
