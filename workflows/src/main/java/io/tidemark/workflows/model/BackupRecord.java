package io.tidemark.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;

/**
 * The record of one cluster backup: {@code backup.json}, written last, after every node's files
 * and WAL are in the repository. A backup without it does not exist for restore.
 *
 * @param restorePoint the cluster restore point every node can be restored to (absent in failed
 *     backups and in those recorded before Tidemark made restore points)
 */
public record BackupRecord(
    int format,
    String id,
    String cluster,
    String type,
    String label,
    String status,
    String error,
    String startTime,
    String stopTime,
    long durationMillis,
    String workflowId,
    List<NodeBackupRecord> nodes,
    RestorePoint restorePoint) {

  public static final int FORMAT = 1;
  public static final String COMPLETED = "completed";
  public static final String FAILED = "failed";

  /** A record without a cluster restore point (backups made before there were any, and tests). */
  public BackupRecord(int format, String id, String cluster, String type, String label, String status, String error,
      String startTime, String stopTime, long durationMillis, String workflowId, List<NodeBackupRecord> nodes) {
    this(format, id, cluster, type, label, status, error, startTime, stopTime, durationMillis, workflowId, nodes, null);
  }

  @JsonIgnore
  public boolean isCompleted() {
    return COMPLETED.equals(status);
  }

  @JsonIgnore
  public long totalFiles() {
    return nodes.stream().mapToLong(NodeBackupRecord::files).sum();
  }

  @JsonIgnore
  public long totalBytes() {
    return nodes.stream().mapToLong(NodeBackupRecord::bytes).sum();
  }

  @JsonIgnore
  public long totalStoredBytes() {
    return nodes.stream().mapToLong(NodeBackupRecord::storedBytes).sum();
  }

  @JsonIgnore
  public long totalCorruptPages() {
    return nodes.stream().mapToLong(NodeBackupRecord::corruptPages).sum();
  }
}
