package io.tidemark.workflows.restore;

import io.tidemark.workflows.model.NodeBackupRecord;

/**
 * @param restoreId the ClusterRestore's workflow id: marks the target directory as this restore's
 * @param source the node as backed up
 * @param taskQueue the queue of the agent that restores it
 * @param leaveStopped lay the files down but do not start the server (false when absent: fields
 *     added later default to what earlier inputs meant)
 * @param attempt 1 for the node's first restore, one more per retryNode (0 when absent: 1)
 */
public record NodeRestoreInput(
    String restoreId,
    String cluster,
    String backupId,
    NodeBackupRecord source,
    NodeTarget target,
    String taskQueue,
    RecoveryTarget recovery,
    boolean inclusive,
    String timeline,
    String action,
    String archive,
    int parallelism,
    boolean leaveStopped,
    int attempt) {}
