package io.tidemark.workflows.schedule;

/**
 * What one scheduled run did.
 *
 * @param outcome {@code completed}, {@code failed}, or {@code skipped} (another backup of the
 *     cluster was running: backups of a cluster never overlap)
 * @param backupId the backup made, if any
 * @param error why it failed or was skipped
 */
public record ScheduledBackupRun(String cluster, String outcome, String backupId, String error) {

  public static final String COMPLETED = "completed";
  public static final String FAILED = "failed";
  public static final String SKIPPED = "skipped";
}
