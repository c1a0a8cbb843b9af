package io.tidemark.workflows.retention;

import io.tidemark.workflows.activities.RetentionActivities.ExpiredBackup;
import io.tidemark.workflows.activities.RetentionActivities.WalExpiry;
import java.util.List;

/**
 * What a retention run did (or, in a dry run, would do).
 *
 * @param policy the policy applied, in words
 * @param skipped why nothing was done (a backup of the cluster was running), else null
 * @param kept the ids of the backups kept, oldest first
 * @param expired the backups deleted, oldest first
 * @param wal per node, the archived WAL deleted: everything before the oldest kept backup's start
 */
public record RetentionResult(String cluster, String policy, boolean dryRun, String skipped, List<String> kept,
    List<ExpiredBackup> expired, List<WalExpiry> wal) {

  public static RetentionResult skipped(String cluster, boolean dryRun, String why) {
    return new RetentionResult(cluster, null, dryRun, why, List.of(), List.of(), List.of());
  }

  public long objectsDeleted() {
    return expired.stream().mapToLong(ExpiredBackup::objects).sum() + wal.stream().mapToLong(WalExpiry::files).sum();
  }

  public long bytesFreed() {
    return expired.stream().mapToLong(ExpiredBackup::bytes).sum() + wal.stream().mapToLong(WalExpiry::bytes).sum();
  }
}
