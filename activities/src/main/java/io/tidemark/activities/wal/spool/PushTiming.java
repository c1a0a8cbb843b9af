package io.tidemark.activities.wal.spool;

/**
 * One WAL file's transfer by wal-push, from reading the file to the repository's answer.
 *
 * @param push {@link #ASKED} (the file PostgreSQL asked for) or {@link #AHEAD} (archived ahead)
 * @param outcome {@link #STORED}, {@link #ALREADY_ARCHIVED} or {@link #FAILED}
 * @param bytes the WAL file's size (before compression)
 */
public record PushTiming(String push, String outcome, long nanos, long bytes) {

  public static final String ASKED = "asked";
  public static final String AHEAD = "ahead";
  public static final String STORED = "stored";
  public static final String ALREADY_ARCHIVED = "already_archived";
  public static final String FAILED = "failed";
}
