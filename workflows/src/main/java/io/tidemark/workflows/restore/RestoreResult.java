package io.tidemark.workflows.restore;

import java.util.List;

/** What a ClusterRestore did, node by node. */
public record RestoreResult(String restoreId, String cluster, String backupId, RecoveryTarget target,
    List<NodeRestoreResult> nodes) {}
