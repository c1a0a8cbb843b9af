package io.tidemark.workflows.restore;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import io.tidemark.workflows.json.Requests;
import io.tidemark.workflows.FailureText;
import io.tidemark.workflows.Failures;
import io.tidemark.workflows.SearchTags;
import io.tidemark.workflows.TaskQueues;
import io.tidemark.workflows.activities.ClusterActivities.RestorePlan;
import io.tidemark.workflows.activities.ClusterActivities;
import io.tidemark.workflows.activities.NodeRestoreActivities.RunSqlInput;
import io.tidemark.workflows.model.NodeBackupRecord;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Restores every node of a backup in parallel, one {@link NodeRestoreWorkflow} child each, to one
 * target. A node whose restore fails waits for an operator — {@code retryNode} starts it again,
 * alone, {@code abandonNode} gives it up — while the others go on. When every node is restored,
 * the cluster's afterRestore SQL runs on the restored coordinator.
 */
public class ClusterRestoreWorkflowImpl implements ClusterRestoreWorkflow {

  /**
   * Restores started before a failed node waited for an operator replay as they ran: failing at
   * once. Single-node restores still do.
   */
  static final String OPERATOR_RETRY_CHANGE = "operator-node-retry";

  private final ClusterActivities cluster = Workflow.newActivityStub(ClusterActivities.class,
      ActivityOptions.newBuilder()
          .setTaskQueue(TaskQueues.SHARED)
          .setStartToCloseTimeout(Duration.ofMinutes(2))
          .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(5).setDoNotRetry(Failures.nonRetryable()).build())
          .build());

  private final Map<String, NodeRun> nodes = new LinkedHashMap<>();
  private RestoreRequest req;
  private RestorePlan plan;
  private RecoveryTarget target;
  private String phase = "resolving";
  private String afterRestore;
  private boolean operatorRetries;

  @Override
  public RestoreResult restore(RestoreRequest request) {
    req = Requests.validated(request, "{\"cluster\": \"main\", \"nodes\": [{\"node\": \"pg1\","
        + " \"dataDirectory\": \"/srv/restore\", \"port\": 5433}]}", RestoreRequest::validated);
    plan = cluster.resolveRestore(req);
    SearchTags.tag(plan.searchAttributes(), req.cluster(), plan.backup().id());
    target = plan.target() != null ? plan.target() : req.target() != null ? req.target() : RecoveryTarget.immediateTarget();
    // A lone node has no siblings to keep: its failure fails the restore at once, as bad input should.
    boolean versioned = Workflow.getVersion(OPERATOR_RETRY_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1;
    operatorRetries = versioned && req.nodes().size() > 1;
    String restoreId = Workflow.getInfo().getWorkflowId();
    for (int i = 0; i < req.nodes().size(); i++) {
      NodeTarget t = req.nodes().get(i);
      NodeBackupRecord source = plan.backup().nodes().stream()
          .filter(n -> n.node().equals(t.node())).findFirst().orElseThrow();
      NodeRun run = new NodeRun(restoreId, source, t, plan.taskQueues().get(i));
      nodes.put(t.node(), run);
    }
    phase = "restoring";
    nodes.values().forEach(run -> run.start(inputFor(run), operatorRetries));

    Workflow.await(() -> nodes.values().stream().allMatch(NodeRun::ended));

    List<NodeRun> abandoned = nodes.values().stream().filter(n -> n.phase.equals(NodeStatus.ABANDONED)).toList();
    if (!abandoned.isEmpty()) {
      phase = "failed";
      NodeRun first = abandoned.get(0);
      throw ApplicationFailure.newNonRetryableFailureWithCause("restore of backup " + plan.backup().id() + " failed: node "
          + first.target.node() + ": " + first.error, "RestoreFailed", first.failure);
    }
    List<NodeRestoreResult> results = nodes.values().stream().map(n -> n.result).toList();
    if (plan.afterRestore() != null && !plan.afterRestore().isEmpty()) {
      phase = "after-restore";
      afterRestore = runAfterRestore(results);
    }
    phase = "completed";
    return new RestoreResult(restoreId, req.cluster(), plan.backup().id(), target, results, afterRestore);
  }

  private NodeRestoreInput inputFor(NodeRun run) {
    return new NodeRestoreInput(run.restoreId, req.cluster(), plan.backup().id(), run.source, run.target, run.taskQueue,
        target, req.inclusive(), req.timeline(), req.action(), req.archive(), req.parallelism(), !req.start(),
        run.attempt + 1);
  }

  /** Runs the cluster's statements on the restored coordinator, once every node is up and writable. */
  private String runAfterRestore(List<NodeRestoreResult> results) {
    if (!results.stream().allMatch(r -> "promoted".equals(r.state()))) {
      String left = !req.start() ? "stopped" : req.action().equals("shutdown") ? "shut down" : req.action() + "d";
      return "skipped: it needs every node promoted, and the restore left them " + left;
    }
    Map<String, String> values = new HashMap<>(plan.sourceValues() == null ? Map.of() : plan.sourceValues());
    nodes.values().forEach(n -> values.putAll(AfterRestoreSql.targetValues(n.target)));
    List<String> statements = AfterRestoreSql.substitute(plan.afterRestore(), values);
    NodeRun coordinator = nodes.get(plan.coordinator());
    try {
      RestoreStubs.node(coordinator.taskQueue).runSql(new RunSqlInput(req.cluster(), coordinator.target.node(),
          coordinator.target.dataDirectory(), coordinator.target.port(), statements, Workflow.getInfo().getWorkflowId()));
    } catch (ActivityFailure e) {
      phase = "failed";
      throw ApplicationFailure.newNonRetryableFailureWithCause("every node of backup " + plan.backup().id()
          + " is restored, but the cluster's afterRestore SQL failed on " + coordinator.target.node() + ": "
          + FailureText.of(e) + "; fix the cause and run the remaining statements by hand", "AfterRestoreFailed", e);
    }
    return "ran " + statements.size() + " statement(s) on " + coordinator.target.node();
  }

  @Override
  public RestoreStatus status() {
    String now = phase.equals("restoring") && nodes.values().stream().anyMatch(n -> n.phase.equals(NodeStatus.FAILED))
        ? "waiting" : phase;
    return new RestoreStatus(Workflow.getInfo().getWorkflowId(), req == null ? null : req.cluster(),
        plan == null ? null : plan.backup().id(), target, now,
        nodes.values().stream().map(n -> n.status(Workflow.currentTimeMillis())).toList(), afterRestore);
  }

  @Override
  public RestoreStatus progress() {
    return status();
  }

  @Override
  public void validateRetryNode(RetryNodeRequest request) {
    NodeRun run = failedNode(request == null ? null : request.node(), "retried");
    NodeTarget moved = run.target.movedBy(request);
    moved.validate("field 'retryNode");
    String queue = request.taskQueue() != null ? request.taskQueue() : run.taskQueue;
    for (NodeRun other : nodes.values()) {
      if (other != run && other.taskQueue.equals(queue) && other.target.dataDirectory().equals(moved.dataDirectory())) {
        throw new IllegalArgumentException("node " + other.target.node() + " is restored into " + moved.dataDirectory()
            + " on that agent; choose another dataDirectory");
      }
    }
  }

  @Override
  public NodeStatus retryNode(RetryNodeRequest request) {
    NodeRun run = nodes.get(request.node());
    run.target = run.target.movedBy(request);
    if (request.taskQueue() != null) {
      run.taskQueue = request.taskQueue();
    }
    run.start(inputFor(run), operatorRetries);
    return run.status(Workflow.currentTimeMillis());
  }

  @Override
  public void validateAbandonNode(AbandonNodeRequest request) {
    failedNode(request == null ? null : request.node(), "abandoned");
  }

  @Override
  public NodeStatus abandonNode(AbandonNodeRequest request) {
    NodeRun run = nodes.get(request.node());
    run.abandon(request.reason());
    return run.status(Workflow.currentTimeMillis());
  }

  @Override
  public void nodeProgress(NodeProgress progress) {
    NodeRun run = nodes.get(progress.node());
    if (run != null) {
      run.report(progress, Workflow.currentTimeMillis());
    }
  }

  /** The named node, if it is waiting for an operator; otherwise a message that says why not. */
  private NodeRun failedNode(String node, String verb) {
    if (node == null || node.isBlank()) {
      throw new IllegalArgumentException("field 'node' is required: the failed node, one of " + nodes.keySet());
    }
    NodeRun run = nodes.get(node);
    if (run == null) {
      throw new IllegalArgumentException("this restore has no node '" + node + "'; its nodes: " + nodes.keySet());
    }
    if (!run.phase.equals(NodeStatus.FAILED)) {
      throw new IllegalArgumentException("node " + node + " is " + run.phase + "; only a failed node can be " + verb);
    }
    return run;
  }
}
