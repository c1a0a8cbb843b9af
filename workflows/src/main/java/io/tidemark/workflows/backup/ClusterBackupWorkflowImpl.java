package io.tidemark.workflows.backup;

import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInfo;
import io.tidemark.workflows.json.Requests;
import io.tidemark.workflows.FailureText;
import io.tidemark.workflows.Failures;
import io.tidemark.workflows.SearchTags;
import io.tidemark.workflows.WorkflowIds;
import io.tidemark.workflows.activities.ClusterActivities.BackupLock;
import io.tidemark.workflows.activities.ClusterActivities.ClusterSpec;
import io.tidemark.workflows.activities.ClusterActivities.DescribeClusterInput;
import io.tidemark.workflows.activities.ClusterActivities.NodeSpec;
import io.tidemark.workflows.activities.ClusterActivities;
import io.tidemark.workflows.model.BackupRecord;
import io.tidemark.workflows.model.NodeBackupRecord;
import io.tidemark.workflows.model.RestorePoint;
import io.tidemark.workflows.retention.RetentionResult;
import io.tidemark.workflows.retention.RetentionSteps;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Backs up every node of the cluster in parallel, one {@link NodeBackupWorkflow} child each, under
 * the cluster's backup lock; then makes the cluster restore point and waits for every node's WAL up
 * to it; commits the backup record last. A node that fails for good cancels its siblings; each
 * child ends its own backup session whatever happens.
 */
public class ClusterBackupWorkflowImpl implements ClusterBackupWorkflow {

  /** Backups started before restore points existed replay without one. */
  static final String RESTORE_POINT_CHANGE = "cluster-restore-point";

  private final ClusterActivities cluster = ActivityStubs.cluster();
  private final Map<String, NodeBackupProgress> nodes = new LinkedHashMap<>();
  private String clusterName;
  private String backupId;
  private String phase = "starting";

  @Override
  public BackupProgress progress() {
    long now = Workflow.currentTimeMillis();
    List<BackupProgress.Node> list = new ArrayList<>();
    for (NodeBackupProgress p : nodes.values()) {
      list.add(new BackupProgress.Node(p, p.rate(now), p.etaSeconds(now)));
    }
    return new BackupProgress(clusterName, backupId, phase, now, list);
  }

  @Override
  public void nodeProgress(NodeBackupProgress progress) {
    nodes.put(progress.node(), progress);
  }

  @Override
  public BackupRecord backup(BackupRequest request) {
    BackupRequest req = Requests.validated(request, "{\"cluster\": \"main\"}", BackupRequest::validated);
    clusterName = req.cluster();
    ClusterSpec spec = cluster.describeCluster(new DescribeClusterInput(req.cluster()));
    WorkflowInfo info = Workflow.getInfo();

    long started = Workflow.currentTimeMillis();
    BackupLock lock = new BackupLock(req.cluster(), BackupIds.of(started, req.type()), info.getWorkflowId(), info.getRunId());
    while (!cluster.acquireBackupLock(lock)) {
      Workflow.sleep(Duration.ofSeconds(1));
      started = Workflow.currentTimeMillis();
      lock = new BackupLock(req.cluster(), BackupIds.of(started, req.type()), info.getWorkflowId(), info.getRunId());
    }
    backupId = lock.backupId();
    SearchTags.tag(spec.searchAttributes(), req.cluster(), backupId);
    BackupLock held = lock;
    try {
      phase = "backing up";
      NodeOutcomes outcomes = backUpNodes(spec, backupId, req, info.getWorkflowId());
      String error = firstError(outcomes.records());
      RuntimeException failure = outcomes.firstFailure();
      RestorePoint restorePoint = null;
      if (error == null && Workflow.getVersion(RESTORE_POINT_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1) {
        try {
          phase = "restore point";
          restorePoint = ClusterRestorePoint.make(spec, backupId, req, outcomes.records());
        } catch (ActivityFailure | ApplicationFailure e) {
          error = "the cluster restore point could not be made: " + FailureText.of(e);
          failure = e;
        }
      }
      BackupRecord record = new BackupRecord(BackupRecord.FORMAT, backupId, req.cluster(), req.type(),
          req.label(), error == null ? BackupRecord.COMPLETED : BackupRecord.FAILED, error,
          BackupIds.isoTime(started), BackupIds.isoTime(Workflow.currentTimeMillis()),
          Workflow.currentTimeMillis() - started, info.getWorkflowId(), outcomes.records(), restorePoint);
      phase = "committing";
      Workflow.newDetachedCancellationScope(() -> cluster.commitBackup(record)).run();
      if (error == null && spec.retention()) {
        phase = "expiring";
        expireOldBackups(req.cluster());
      }
      phase = error == null ? "completed" : "failed";
      if (error != null) {
        // The node's own failure is the cause, so callers can still match on its type.
        throw ApplicationFailure.newNonRetryableFailureWithCause("backup " + backupId + " failed: " + error,
            "BackupFailed", failure);
      }
      return record;
    } finally {
      Workflow.newDetachedCancellationScope(() -> cluster.releaseBackupLock(held)).run();
    }
  }

  /**
   * The cluster's retention policy, applied under this backup's lock once the backup is committed.
   * A retention that fails is logged and left to the next run: the backup itself is good.
   */
  private static void expireOldBackups(String cluster) {
    try {
      RetentionResult result = RetentionSteps.run(RetentionSteps.activities(), cluster, null, null, false);
      Workflow.getLogger(ClusterBackupWorkflowImpl.class).info("cluster {}: retention ({}) expired {} backups, {} objects",
          cluster, result.policy(), result.expired().size(), result.objectsDeleted());
    } catch (ActivityFailure e) {
      Workflow.getLogger(ClusterBackupWorkflowImpl.class).warn("cluster {}: retention after the backup failed: {}",
          cluster, FailureText.of(e));
    }
  }


  /** Every node's record, and the failure that ended the backup, if one did. */
  private record NodeOutcomes(List<NodeBackupRecord> records, RuntimeException firstFailure) {}

  /** Every node's record, completed or failed; the first failure cancels the nodes still running. */
  private NodeOutcomes backUpNodes(ClusterSpec spec, String backupId, BackupRequest req, String workflowId) {
    Map<String, Promise<NodeBackupRecord>> running = new LinkedHashMap<>();
    CancellationScope nodesScope = Workflow.newCancellationScope(() -> {
      for (NodeSpec node : spec.nodes()) {
        NodeBackupWorkflow child = Workflow.newChildWorkflowStub(NodeBackupWorkflow.class,
            ChildWorkflowOptions.newBuilder()
                .setWorkflowId(WorkflowIds.nodeBackup(workflowId, backupId, node.name()))
                // Cancelled rather than terminated with its parent, so it ends its backup session.
                .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_REQUEST_CANCEL)
                .build());
        NodeBackupInput input = new NodeBackupInput(req.cluster(), node.name(), node.taskQueue(), backupId,
            req.label(), "fast".equals(req.checkpoint()), req.parallelism(), req.walArchiveTimeoutSeconds(),
            req.sessionTimeoutSeconds(), "SHA256".equals(req.manifestChecksum()));
        running.put(node.name(), Async.function(child::backup, input));
      }
    });
    nodesScope.run();
    String failedNode = null;
    RuntimeException firstFailure = null;
    try {
      Promise.allOf(running.values()).get();
    } catch (RuntimeException failure) {
      firstFailure = failure;
      failedNode = running.entrySet().stream()
          .filter(e -> e.getValue().isCompleted() && e.getValue().getFailure() != null)
          .map(Map.Entry::getKey).findFirst().orElse(null);
      nodesScope.cancel();
      Workflow.await(() -> running.values().stream().allMatch(Promise::isCompleted));
    }
    List<NodeBackupRecord> records = new ArrayList<>();
    for (Map.Entry<String, Promise<NodeBackupRecord>> e : running.entrySet()) {
      RuntimeException failure = e.getValue().getFailure();
      if (failure == null) {
        records.add(e.getValue().get());
      } else if (isCancellation(failure) && failedNode != null && !failedNode.equals(e.getKey())) {
        records.add(NodeBackupRecord.failed(e.getKey(), "cancelled because node " + failedNode + " failed"));
      } else {
        records.add(NodeBackupRecord.failed(e.getKey(), FailureText.of(failure)));
      }
    }
    return new NodeOutcomes(records, firstFailure);
  }

  private static boolean isCancellation(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof CanceledFailure) {
        return true;
      }
    }
    return false;
  }

  private static String firstError(List<NodeBackupRecord> nodes) {
    return nodes.stream()
        .filter(n -> n.error() != null && !n.error().startsWith("cancelled because"))
        .map(n -> "node " + n.node() + ": " + n.error())
        .findFirst()
        .orElse(null);
  }
}
