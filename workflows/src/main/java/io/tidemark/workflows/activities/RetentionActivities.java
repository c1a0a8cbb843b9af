package io.tidemark.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;

/** Retention, on the shared queue: it needs the configuration and the repository, no node. */
@ActivityInterface
public interface RetentionActivities {

  /**
   * Reads the cluster's backup records and decides which to keep: the policy is the request's
   * {@code full} and {@code recoveryWindowDays}, else the cluster's configuration; fails with
   * {@code ConfigurationError} if neither sets one. Backups a running restore uses are kept.
   */
  @ActivityMethod(name = "PlanRetention")
  RetentionPlan planRetention(PlanRetentionInput input);

  /**
   * Deletes one backup: its record first, so that it is gone for restores at once, then every
   * object under its folder. Retried or repeated, it deletes what is left.
   */
  @ActivityMethod(name = "ExpireBackup")
  ExpiredBackup expireBackup(ExpireBackupInput input);

  /** Deletes a node's archived WAL segments before {@code keepFrom} on every timeline; history files stay. */
  @ActivityMethod(name = "ExpireWal")
  WalExpiry expireWal(ExpireWalInput input);

  /** @param dryRun leave even stale restore leases in place */
  record PlanRetentionInput(String cluster, Integer full, Integer recoveryWindowDays, boolean dryRun) {}

  /**
   * @param policy the policy, in words
   * @param kept the backups kept, oldest first
   * @param expire the backups to delete, oldest first
   * @param walCutoffs per node with a kept backup, the first WAL segment still needed
   */
  record RetentionPlan(String cluster, String policy, List<String> kept, List<Expiry> expire, List<WalCutoff> walCutoffs) {}

  /** @param status the record's status, or {@code unrecorded} for a folder without one */
  record Expiry(String backupId, String status, String reason) {}

  record WalCutoff(String node, String keepFrom) {}

  record ExpireBackupInput(String cluster, Expiry backup, boolean dryRun) {}

  /** @param objects objects deleted (in a dry run: that would be), @param bytes their size */
  record ExpiredBackup(String backupId, String status, String reason, long objects, long bytes) {}

  record ExpireWalInput(String cluster, String node, String keepFrom, boolean dryRun) {}

  /** @param files WAL files deleted (in a dry run: that would be), @param bytes their stored size */
  record WalExpiry(String node, String keepFrom, long files, long bytes) {}
}
