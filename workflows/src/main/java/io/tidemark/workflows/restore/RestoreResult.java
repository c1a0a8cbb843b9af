package io.tidemark.workflows.restore;

import java.util.List;

/**
 * What a ClusterRestore did, node by node.
 *
 * @param afterRestore what became of the cluster's afterRestore SQL (null when it has none)
 */
public record RestoreResult(String restoreId, String cluster, String backupId, RecoveryTarget target,
    List<NodeRestoreResult> nodes, String afterRestore) {

  public RestoreResult(String restoreId, String cluster, String backupId, RecoveryTarget target,
      List<NodeRestoreResult> nodes) {
    this(restoreId, cluster, backupId, target, nodes, null);
  }
}
