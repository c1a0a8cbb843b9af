package io.tidemark.workflows.restore;

import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.tidemark.workflows.FailureText;
import io.tidemark.workflows.WorkflowIds;
import io.tidemark.workflows.model.NodeBackupRecord;

/**
 * One node of a cluster restore, in workflow state: its attempts, each a NodeRestore child, and
 * where the current one stands.
 */
final class NodeRun {

  final String restoreId;
  final NodeBackupRecord source;
  NodeTarget target;
  String taskQueue;
  int attempt;
  String phase = "pending";
  String workflowId;
  String error;
  RuntimeException failure;
  NodeRestoreResult result;
  private NodeProgress progress;
  /** Workflow time of the running attempt's first fetching report: where its rate is counted from. */
  private long fetchingSince;

  NodeRun(String restoreId, NodeBackupRecord source, NodeTarget target, String taskQueue) {
    this.restoreId = restoreId;
    this.source = source;
    this.target = target;
    this.taskQueue = taskQueue;
  }

  /** The first attempt keeps the id restores always had; later ones say which attempt they are. */
  static String workflowId(String restoreId, String node, int attempt) {
    String first = WorkflowIds.nodeRestore(restoreId, node);
    return attempt <= 1 ? first : first + "/attempt-" + attempt;
  }

  /**
   * Starts the next attempt as a child workflow.
   *
   * @param waitWhenFailed a failure waits for an operator (else the node is given up at once)
   */
  void start(NodeRestoreInput input, boolean waitWhenFailed) {
    attempt = input.attempt();
    phase = "preparing";
    error = null;
    failure = null;
    progress = null;
    fetchingSince = 0;
    workflowId = workflowId(restoreId, target.node(), attempt);
    NodeRestoreWorkflow child = Workflow.newChildWorkflowStub(NodeRestoreWorkflow.class, ChildWorkflowOptions.newBuilder()
        .setWorkflowId(workflowId)
        .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_REQUEST_CANCEL)
        .build());
    int thisAttempt = attempt;
    Promise<NodeRestoreResult> running = Async.function(child::restore, input);
    running.handle((done, failed) -> {
      if (thisAttempt == attempt) {
        if (failed == null) {
          result = done;
          phase = NodeStatus.RESTORED;
        } else {
          failure = failed;
          error = FailureText.of(failed);
          phase = waitWhenFailed ? NodeStatus.FAILED : NodeStatus.ABANDONED;
        }
      }
      return null;
    });
  }

  void abandon(String reason) {
    phase = NodeStatus.ABANDONED;
    if (reason != null && !reason.isBlank()) {
      error = error + " (abandoned: " + reason + ")";
    }
  }

  /**
   * A progress report of the running attempt; late reports of an ended or earlier attempt are
   * dropped.
   *
   * @param now workflow time: the first report of fetching starts the rate's clock
   */
  void report(NodeProgress p, long now) {
    if (p.attempt() == attempt && !ended() && !phase.equals(NodeStatus.FAILED)) {
      if (p.phase().equals("fetching") && (progress == null || !progress.phase().equals("fetching"))) {
        fetchingSince = now;
      }
      progress = p;
      phase = p.phase();
    }
  }

  /** Restored or given up: nothing more will happen to it. */
  boolean ended() {
    return phase.equals(NodeStatus.RESTORED) || phase.equals(NodeStatus.ABANDONED);
  }

  /** @param now workflow time, for the rate and the time left */
  NodeStatus status(long now) {
    NodeProgress p = progress;
    if (result != null) {
      return new NodeStatus(target.node(), phase, attempt, target.dataDirectory(), target.port(), taskQueue,
          source.batches(), source.batches(), result.files(), result.bytes(), error, workflowId, result,
          source.files(), source.bytes(), 0, 0);
    }
    long bytes = p == null ? 0 : p.bytes();
    boolean fetching = phase.equals("fetching") && fetchingSince > 0 && now > fetchingSince;
    long rate = fetching ? bytes * 1000 / (now - fetchingSince) : 0;
    long eta = rate > 0 ? Math.max(0, source.bytes() - bytes) / rate : -1;
    return new NodeStatus(target.node(), phase, attempt, target.dataDirectory(), target.port(), taskQueue,
        p == null ? 0 : p.batchesDone(), p == null ? source.batches() : p.batches(), p == null ? 0 : p.files(),
        bytes, error, workflowId, null, source.files(), source.bytes(), rate, eta);
  }
}
