package io.tidemark.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import io.tidemark.workflows.model.BackupRecord;
import io.tidemark.workflows.restore.RecoveryTarget;
import io.tidemark.workflows.restore.RestoreRequest;
import java.util.List;
import java.util.Map;

/** Activities on the shared queue: they need the configuration and the repository, no node. */
@ActivityInterface
public interface ClusterActivities {

  /** The cluster's nodes as the workers' configuration defines them. */
  @ActivityMethod(name = "DescribeCluster")
  ClusterSpec describeCluster(DescribeClusterInput input);

  /**
   * Takes the cluster's backup lock in the repository, or fails with {@code BackupInProgress}
   * when another running workflow holds it. A lock whose workflow has ended is stale and taken.
   *
   * @return false, taking no lock, when the backup id is already used in the repository (two
   *     backups started within one second); the caller picks a new id
   */
  @ActivityMethod(name = "AcquireBackupLock")
  boolean acquireBackupLock(BackupLock lock);

  /** Releases the lock if this workflow holds it; a no-op otherwise. */
  @ActivityMethod(name = "ReleaseBackupLock")
  void releaseBackupLock(BackupLock lock);

  /**
   * Writes backup.json, the commit marker of a backup. A failed backup is recorded only if it
   * left objects in the repository: a backup that failed its checks changes nothing.
   */
  @ActivityMethod(name = "CommitBackup")
  void commitBackup(BackupRecord record);

  /**
   * Finds the backup a restore asks for (an id, or the newest completed one) and checks the
   * request against it: every node of the backup has a target, and the recovery target is not
   * before the backup's end.
   */
  @ActivityMethod(name = "ResolveRestore")
  RestorePlan resolveRestore(RestoreRequest request);

  /**
   * What a lost backup session had read into packs it never committed, as its in-flight SendFiles
   * last reported in their heartbeats: the next session sends those bytes again. Asked of the
   * Temporal server (the node backup's pending activities, and those of its pending SendFiles
   * windows of that session) as the session is found lost; it only reads, and counts the result
   * in this worker's metrics.
   */
  @ActivityMethod(name = "CountOpenPacks")
  OpenPacks countOpenPacks(LostSession lost);

  /**
   * @param workflowId the node backup's workflow id
   * @param runId its run
   */
  record LostSession(String cluster, String node, String backupId, int session, String workflowId, String runId) {}

  /**
   * @param bytes bytes read into packs not yet committed, as of each batch's last heartbeat
   * @param batches the batches that had them
   */
  record OpenPacks(long bytes, List<Integer> batches) {
    public static final OpenPacks NONE = new OpenPacks(0, List.of());
  }

  /**
   * @param taskQueues the agent queue of each node target, in the request's order
   * @param target where recovery stops: the request's target, or by default the backup's cluster
   *     restore point (its end, for a backup without one)
   * @param coordinator the node the afterRestore statements run on
   * @param afterRestore the cluster's SQL for the restored coordinator, placeholders not yet filled in
   * @param sourceValues the placeholders about the nodes backed up ({@code seg1.sourcePort}, ...)
   */
  /** @param searchAttributes as in {@link ClusterSpec} */
  record RestorePlan(BackupRecord backup, List<String> taskQueues, RecoveryTarget target, String coordinator,
      List<String> afterRestore, Map<String, String> sourceValues, boolean searchAttributes) {

    public RestorePlan(BackupRecord backup, List<String> taskQueues, RecoveryTarget target, String coordinator,
        List<String> afterRestore, Map<String, String> sourceValues) {
      this(backup, taskQueues, target, coordinator, afterRestore, sourceValues, false);
    }

    public RestorePlan(BackupRecord backup, List<String> taskQueues) {
      this(backup, taskQueues, null, null, null, null);
    }
  }

  record DescribeClusterInput(String cluster) {}

  /**
   * @param searchAttributes whether the workers' configuration asks for search attributes (absent,
   *     so false, in the results of workers from before they existed)
   * @param retention whether the cluster has a retention policy, which a completed backup then
   *     applies (absent, so false, in older results: their histories replay without it)
   */
  record ClusterSpec(String name, String flavor, List<NodeSpec> nodes, boolean searchAttributes, boolean retention) {
    public ClusterSpec(String name, String flavor, List<NodeSpec> nodes) {
      this(name, flavor, nodes, false, false);
    }

    public ClusterSpec(String name, String flavor, List<NodeSpec> nodes, boolean searchAttributes) {
      this(name, flavor, nodes, searchAttributes, false);
    }
  }

  /** A node as the workflows see it: a name and the queue its agent polls. */
  record NodeSpec(String name, String role, String taskQueue) {}

  /** @param backupId the backup being made, or {@link #RETENTION} for a retention run */
  record BackupLock(String cluster, String backupId, String workflowId, String runId) {
    public static final String RETENTION = "retention";
  }
}
