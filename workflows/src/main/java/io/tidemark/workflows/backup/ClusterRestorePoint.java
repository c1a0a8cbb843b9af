package io.tidemark.workflows.backup;

import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.tidemark.workflows.Failures;
import io.tidemark.workflows.activities.ClusterActivities.ClusterSpec;
import io.tidemark.workflows.activities.ClusterActivities.NodeSpec;
import io.tidemark.workflows.activities.CoordinatorActivities.CreateRestorePointInput;
import io.tidemark.workflows.activities.NodeBackupActivities.WaitForWalInput;
import io.tidemark.workflows.model.NodeBackupRecord;
import io.tidemark.workflows.model.RestorePoint;
import java.util.ArrayList;
import java.util.List;

/**
 * The last step of a cluster backup: one restore point on every node, and every node's WAL up to
 * it in the repository. Restoring every node to it gives the cluster as it was at one moment.
 */
final class ClusterRestorePoint {

  private ClusterRestorePoint() {}

  static String nameFor(String backupId) {
    return "tidemark-" + backupId;
  }

  static RestorePoint make(ClusterSpec spec, String backupId, BackupRequest req, List<NodeBackupRecord> nodes) {
    NodeSpec coordinator = spec.nodes().stream().filter(n -> "coordinator".equals(n.role())).findFirst()
        .orElse(spec.nodes().get(0));
    RestorePoint point = ActivityStubs.coordinator(coordinator.taskQueue())
        .createRestorePoint(new CreateRestorePointInput(req.cluster(), nameFor(backupId)));

    List<Promise<Void>> archived = new ArrayList<>();
    for (NodeSpec node : spec.nodes()) {
      RestorePoint.Node at = point.node(node.name()).orElseThrow(() -> ApplicationFailure.newNonRetryableFailure(
          "restore point " + point.name() + " has no location for node " + node.name(), Failures.RESTORE_POINT_FAILED));
      long segmentSize = nodes.stream().filter(n -> n.node().equals(node.name())).findFirst().orElseThrow()
          .walSegmentSize();
      archived.add(Async.procedure(ActivityStubs.node(node.taskQueue(), req.walArchiveTimeoutSeconds())::waitForWal,
          new WaitForWalInput(req.cluster(), node.name(), at.timeline(), at.walFile(), at.walFile(), segmentSize,
              req.walArchiveTimeoutSeconds())));
    }
    Promise.allOf(archived).get();
    return point;
  }
}
