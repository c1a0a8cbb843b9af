package io.tidemark.workflows.backup;

import java.util.List;

/**
 * The answer to a running ClusterBackup's {@code progress} query.
 *
 * @param phase starting, backing up, restore point, committing, completed, failed
 * @param asOf the workflow's time of the answer, epoch milliseconds
 * @param nodes every node, with its rate (bytes a second) and ETA (seconds, -1 unknown) as of then
 */
public record BackupProgress(String cluster, String backupId, String phase, long asOf, List<Node> nodes) {

  public record Node(NodeBackupProgress progress, long bytesPerSecond, long etaSeconds) {}
}
