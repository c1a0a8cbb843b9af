package io.tidemark.activities.config;

/**
 * How long a cluster's backups are kept. A backup is kept if either rule keeps it; the newest
 * completed backup always is. Without either rule nothing is ever expired.
 *
 * @param full keep the newest this many completed backups
 * @param recoveryWindowDays keep every backup needed to restore to any moment of the last this
 *     many days: the ones completed within them, and the newest one before them
 */
public record RetentionSettings(Integer full, Integer recoveryWindowDays) {

  public static final RetentionSettings NONE = new RetentionSettings(null, null);

  public boolean isSet() {
    return full != null || recoveryWindowDays != null;
  }
}
