package io.tidemark.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import io.tidemark.workflows.restore.RecoveryTarget;
import java.util.List;
import java.util.Map;

/** Restore activities, run by the agent on the host the node is restored to. */
@ActivityInterface
public interface NodeRestoreActivities {

  /**
   * Checks everything that can be checked before a byte is written (the directory is absent or
   * empty, the port is free, the binaries are the backup's major version), then creates the
   * directory tree, marked as this restore's so that a retry may continue in it.
   */
  @ActivityMethod(name = "PrepareRestore")
  void prepareRestore(PrepareRestoreInput input);

  /** Restores one batch of files, each verified as it is written; a retry resumes after the last synced file. */
  @ActivityMethod(name = "FetchFiles")
  FetchResult fetchFiles(FetchFilesInput input);

  /** Writes backup_label, tablespace_map, the recovery settings and recovery.signal. */
  @ActivityMethod(name = "WriteRecoveryConfig")
  void writeRecoveryConfig(RecoveryConfigInput input);

  /**
   * Starts PostgreSQL on the restored directory (or re-attaches to the one a previous attempt
   * started) and follows recovery until the target is reached and the action done.
   */
  @ActivityMethod(name = "ReplayWal")
  ReplayResult replayWal(ReplayWalInput input);

  /**
   * Runs SQL statements, one transaction each, in order, on a server this agent restored and
   * started: the cluster's afterRestore step on the coordinator. Statements that have already run
   * in an earlier attempt are not run again.
   */
  @ActivityMethod(name = "RunSql")
  void runSql(RunSqlInput input);

  record PrepareRestoreInput(String restoreId, String cluster, String backupId, String node, int session, int pgVersion,
      String dataDirectory, int port, String binDirectory) {}

  record FetchFilesInput(String cluster, String backupId, String node, int session, int batch, String dataDirectory) {}

  record FetchResult(int batch, long files, long bytes, long resumed) {}

  /** @param last nothing follows (the server is not started): the directory is complete */
  record RecoveryConfigInput(String restoreId, String cluster, String backupId, String node, int session,
      String dataDirectory, int port, RecoveryTarget target, boolean inclusive, String timeline, String action,
      String archive, Map<String, String> settings, boolean last) {}

  /** @param walSegmentSize the backup's, to name the WAL file that is missing when recovery stops short */
  record ReplayWalInput(String restoreId, String cluster, String node, String dataDirectory, int port,
      String binDirectory, String action, long walSegmentSize) {}

  /** @param runId names this step, so a retried attempt knows which statements already ran */
  record RunSqlInput(String cluster, String node, String dataDirectory, int port, List<String> statements, String runId) {}

  /**
   * @param state promoted, paused or shutdown
   * @param lastTransactionTime commit time of the last replayed transaction, or null
   */
  record ReplayResult(String state, String lsn, int timeline, String lastTransactionTime) {}
}
