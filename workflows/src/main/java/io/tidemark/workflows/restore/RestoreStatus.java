package io.tidemark.workflows.restore;

import java.util.List;

/**
 * A cluster restore as the {@code status} query shows it.
 *
 * @param phase {@code restoring}, {@code waiting} (a node failed: retry or abandon it),
 *     {@code after-restore} (running the cluster's SQL on the coordinator), {@code completed} or
 *     {@code failed}
 * @param afterRestore what became of the cluster's afterRestore SQL, once known
 */
public record RestoreStatus(
    String restoreId,
    String cluster,
    String backupId,
    RecoveryTarget target,
    String phase,
    List<NodeStatus> nodes,
    String afterRestore) {}
