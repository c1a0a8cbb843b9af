package io.tidemark.workflows;

/**
 * Workflow ids Tidemark uses when it starts workflows itself. One running backup per cluster is
 * enforced by Temporal through the id, and again by a lock in the repository for workflows that
 * were started under other ids (from the Temporal UI, say).
 */
public final class WorkflowIds {

  private WorkflowIds() {}

  public static String backup(String cluster) {
    return "tidemark-backup-" + cluster;
  }

  /** A cluster's backup schedule: the Temporal Schedule, or the cron workflow where there are none. */
  public static String schedule(String cluster) {
    return "tidemark-schedule-" + cluster;
  }

  /** A retention run Tidemark starts: one at a time per cluster. */
  public static String retention(String cluster) {
    return "tidemark-retention-" + cluster;
  }

  /**
   * A cluster's retention schedule. Cluster names hold no '/', so no backup schedule can have
   * this id.
   */
  public static String retentionSchedule(String cluster) {
    return schedule(cluster) + "/retention";
  }

  public static String restore(String cluster, String suffix) {
    return "tidemark-restore-" + cluster + "-" + suffix;
  }

  public static String nodeRestore(String restoreWorkflowId, String node) {
    return restoreWorkflowId + "/" + node;
  }

  /** A node's child workflow: unique per backup, so a lingering child never blocks the next backup. */
  public static String nodeBackup(String parentWorkflowId, String backupId, String node) {
    return parentWorkflowId + "/" + backupId + "/" + node;
  }

  /** A window of one backup session's batches, sent by a child of the node backup. */
  public static String sendWindow(String nodeBackupWorkflowId, int session, int window) {
    return sendWindows(nodeBackupWorkflowId, session) + window;
  }

  /** What the ids of one session's windows start with. */
  public static String sendWindows(String nodeBackupWorkflowId, int session) {
    return nodeBackupWorkflowId + "/s" + session + "/w";
  }

  /** A window of one node restore's batches, fetched by a child of the node restore. */
  public static String fetchWindow(String nodeRestoreWorkflowId, int window) {
    return nodeRestoreWorkflowId + "/w" + window;
  }
}
