package io.tidemark.workflows.restore;

/**
 * How one node's restore ended.
 *
 * @param state what the restored server is doing: {@code promoted}, {@code paused} (in recovery,
 *     at the target) or {@code shutdown}
 * @param lsn where replay stopped (promoted: the server's current WAL location)
 * @param lastTransactionTime commit time of the last transaction replayed, if any
 */
public record NodeRestoreResult(
    String node,
    String status,
    String error,
    String dataDirectory,
    int port,
    String taskQueue,
    String state,
    String lsn,
    int timeline,
    String lastTransactionTime,
    long files,
    long bytes) {

  public static NodeRestoreResult failed(NodeTarget target, String queue, String error) {
    return new NodeRestoreResult(target.node(), "failed", error, target.dataDirectory(), target.port(), queue, null, null,
        0, null, 0, 0);
  }
}
