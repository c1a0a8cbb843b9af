package io.tidemark.workflows.restore;

/**
 * One node of a cluster restore, as the {@code status} query shows it.
 *
 * @param phase {@code preparing}, {@code fetching}, {@code configuring}, {@code replaying},
 *     {@code restored}, {@code failed} (waiting for {@code retryNode} or {@code abandonNode}) or
 *     {@code abandoned}
 * @param attempt 1 for the first restore of the node, one more for each {@code retryNode}
 * @param error why the last attempt failed
 * @param workflowId the node's current NodeRestore child workflow
 * @param result how the node's restore ended, once it has
 * @param totalFiles files the node's backup holds: {@code files} of them are written
 * @param totalBytes their bytes: {@code bytes} of them are written
 * @param bytesPerSecond the fetch rate since fetching began (0 before, and once fetched)
 * @param etaSeconds seconds of fetching left at that rate, or -1 if unknown
 */
public record NodeStatus(
    String node,
    String phase,
    int attempt,
    String dataDirectory,
    int port,
    String taskQueue,
    int batchesDone,
    int batches,
    long files,
    long bytes,
    String error,
    String workflowId,
    NodeRestoreResult result,
    long totalFiles,
    long totalBytes,
    long bytesPerSecond,
    long etaSeconds) {

  public static final String RESTORED = "restored";
  public static final String FAILED = "failed";
  public static final String ABANDONED = "abandoned";
}
