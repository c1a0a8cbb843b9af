package io.tidemark.activities.metrics;

/**
 * Tidemark's meter names, as Micrometer spells them. Prometheus sees dots as underscores and
 * counters with {@code _total}: {@code tidemark.backup.bytes} is scraped as
 * {@code tidemark_backup_bytes_total}.
 */
public final class MetricNames {

  private MetricNames() {}

  public static final String BACKUP_BATCHES = "tidemark.backup.batches";
  public static final String BACKUP_FILES = "tidemark.backup.files";
  public static final String BACKUP_BYTES = "tidemark.backup.bytes";
  public static final String BACKUP_STORED_BYTES = "tidemark.backup.stored.bytes";
  public static final String BACKUP_RESUMED_FILES = "tidemark.backup.resumed.files";
  public static final String BACKUP_VANISHED_FILES = "tidemark.backup.vanished.files";
  public static final String BACKUP_CORRUPT_PAGES = "tidemark.backup.corrupt.pages";
  public static final String BACKUP_REUSED_FILES = "tidemark.backup.reused.files";
  public static final String BACKUP_REUSED_BYTES = "tidemark.backup.reused.bytes";
  public static final String BACKUP_RESENT_BYTES = "tidemark.backup.resent.bytes";

  public static final String BACKUP_PLANNED_FILES = "tidemark.backup.progress.planned.files";
  public static final String BACKUP_PLANNED_BYTES = "tidemark.backup.progress.planned.bytes";
  public static final String BACKUP_DONE_FILES = "tidemark.backup.progress.done.files";
  public static final String BACKUP_DONE_BYTES = "tidemark.backup.progress.done.bytes";

  public static final String BACKUPS_COMMITTED = "tidemark.backups.committed";
  public static final String BACKUP_LAST_COMPLETED = "tidemark.backup.last.completed.timestamp.seconds";

  public static final String RESTORE_BATCHES = "tidemark.restore.batches";
  public static final String RESTORE_FILES = "tidemark.restore.files";
  public static final String RESTORE_BYTES = "tidemark.restore.bytes";
  public static final String RESTORE_RESUMED_FILES = "tidemark.restore.resumed.files";

  public static final String ACTIVITY_FAILURES = "tidemark.activity.failures";
}
