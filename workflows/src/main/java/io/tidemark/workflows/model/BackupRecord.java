package io.tidemark.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;

/**
 * The record of one cluster backup: {@code backup.json}, written last, after every node's files
 * and WAL are in the repository. A backup without it does not exist for restore.
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
    List<NodeBackupRecord> nodes) {

  public static final int FORMAT = 1;
  public static final String COMPLETED = "completed";
  public static final String FAILED = "failed";

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
