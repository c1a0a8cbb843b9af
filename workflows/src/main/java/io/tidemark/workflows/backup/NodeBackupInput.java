package io.tidemark.workflows.backup;

/**
 * @param taskQueue the queue of the node's agent
 * @param parallelism batches in flight at once
 * @param sha256Manifest write SHA-256 file checksums in backup_manifest (CRC-32C when false)
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
    int sessionTimeoutSeconds,
    boolean sha256Manifest) {}
