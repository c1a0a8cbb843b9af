package io.tidemark.workflows.backup;

/**
 * @param taskQueue the queue of the node's agent
 * @param parallelism batches in flight at once
 */
public record NodeBackupInput(
    String cluster,
    String node,
    String taskQueue,
    String backupId,
    String label,
    boolean fastCheckpoint,
    int parallelism,
    int walArchiveTimeoutSeconds,
    int sessionTimeoutSeconds) {}
