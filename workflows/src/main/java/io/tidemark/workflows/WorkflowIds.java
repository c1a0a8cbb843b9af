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

  public static String nodeBackup(String parentWorkflowId, String node) {
    return parentWorkflowId + "/node-" + node;
  }
}
