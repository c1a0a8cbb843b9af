package io.tidemark.workflows.restore;

import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.tidemark.workflows.FailureText;
import io.tidemark.workflows.Failures;
import io.tidemark.workflows.TaskQueues;
import io.tidemark.workflows.WorkflowIds;
import io.tidemark.workflows.activities.ClusterActivities.RestorePlan;
import io.tidemark.workflows.activities.ClusterActivities;
import io.tidemark.workflows.model.NodeBackupRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Restores every node of a backup in parallel, one {@link NodeRestoreWorkflow} child each, and
 * reports every node's outcome. A node that fails does not stop the others.
 */
public class ClusterRestoreWorkflowImpl implements ClusterRestoreWorkflow {

  private final ClusterActivities cluster = Workflow.newActivityStub(ClusterActivities.class,
      ActivityOptions.newBuilder()
          .setTaskQueue(TaskQueues.SHARED)
          .setStartToCloseTimeout(Duration.ofMinutes(2))
          .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(5).setDoNotRetry(Failures.nonRetryable()).build())
          .build());

  @Override
  public RestoreResult restore(RestoreRequest request) {
    RestoreRequest req = validate(request);
    RestorePlan plan = cluster.resolveRestore(req);
    String restoreId = Workflow.getInfo().getWorkflowId();

    List<Promise<NodeRestoreResult>> running = new ArrayList<>();
    for (int i = 0; i < req.nodes().size(); i++) {
      NodeTarget target = req.nodes().get(i);
      NodeBackupRecord source = plan.backup().nodes().stream()
          .filter(n -> n.node().equals(target.node())).findFirst().orElseThrow();
      NodeRestoreWorkflow child = Workflow.newChildWorkflowStub(NodeRestoreWorkflow.class, ChildWorkflowOptions.newBuilder()
          .setWorkflowId(WorkflowIds.nodeRestore(restoreId, target.node()))
          .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_REQUEST_CANCEL)
          .build());
      running.add(Async.function(child::restore, new NodeRestoreInput(restoreId, req.cluster(), plan.backup().id(), source,
          target, plan.taskQueues().get(i), req.target(), req.inclusive(), req.timeline(), req.action(), req.archive(),
          req.parallelism(), !req.start())));
    }
    Workflow.await(() -> running.stream().allMatch(Promise::isCompleted));

    List<NodeRestoreResult> results = new ArrayList<>();
    RuntimeException firstFailure = null;
    String firstError = null;
    for (int i = 0; i < running.size(); i++) {
      RuntimeException failure = running.get(i).getFailure();
      if (failure == null) {
        results.add(running.get(i).get());
      } else {
        String message = FailureText.of(failure);
        results.add(NodeRestoreResult.failed(req.nodes().get(i), plan.taskQueues().get(i), message));
        if (firstFailure == null) {
          firstFailure = failure;
          firstError = "node " + req.nodes().get(i).node() + ": " + message;
        }
      }
    }
    if (firstFailure != null) {
      throw ApplicationFailure.newNonRetryableFailureWithCause("restore of backup " + plan.backup().id() + " failed: "
          + firstError, "RestoreFailed", firstFailure);
    }
    return new RestoreResult(restoreId, req.cluster(), plan.backup().id(), req.target(), results);
  }

  private static RestoreRequest validate(RestoreRequest request) {
    if (request == null) {
      throw ApplicationFailure.newNonRetryableFailure("the input is empty; send one JSON object such as"
          + " {\"cluster\": \"main\", \"nodes\": [{\"node\": \"pg1\", \"dataDirectory\": \"/srv/restore\", \"port\": 5433}]}",
          Failures.INVALID_REQUEST);
    }
    try {
      return request.validated();
    } catch (IllegalArgumentException e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), Failures.INVALID_REQUEST);
    }
  }
}
