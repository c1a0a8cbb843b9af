package io.tidemark.workflows.retention;

import io.tidemark.workflows.json.ExternalInput;

/**
 * Input of the {@code ClusterRetention} workflow, as typed into the Temporal UI or sent by any SDK.
 *
 * @param cluster cluster name, as in the workers' configuration (required)
 * @param full keep the newest this many completed backups (default: the cluster's {@code retention.full})
 * @param recoveryWindowDays keep every backup needed to restore to any moment of the last this
 *     many days (default: the cluster's {@code retention.recoveryWindowDays})
 * @param dryRun say what would be expired, delete nothing
 */
@ExternalInput
public record RetentionRequest(String cluster, Integer full, Integer recoveryWindowDays, Boolean dryRun) {

  public static RetentionRequest of(String cluster) {
    return new RetentionRequest(cluster, null, null, null);
  }

  /**
   * The request with {@code dryRun} filled in.
   *
   * @throws IllegalArgumentException naming the field at fault and what it accepts
   */
  public RetentionRequest validated() {
    if (cluster == null || cluster.isBlank()) {
      throw new IllegalArgumentException("field 'cluster' is required: the name of a cluster in the workers' configuration");
    }
    if (full != null && full < 1) {
      throw new IllegalArgumentException("field 'full' is " + full + "; it must be at least 1 (the newest backup is always kept)");
    }
    if (recoveryWindowDays != null && recoveryWindowDays < 1) {
      throw new IllegalArgumentException("field 'recoveryWindowDays' is " + recoveryWindowDays + "; it must be at least 1");
    }
    return new RetentionRequest(cluster, full, recoveryWindowDays, dryRun != null && dryRun);
  }
}
