package io.tidemark.activities.backup;

import java.util.List;

/**
 * What the Temporal server holds of a workflow's pending activities: the last heartbeat details
 * each reported, and the workflow's pending children. A sibling of {@link WorkflowLiveness}: both
 * ask the server to describe a workflow.
 */
public interface PendingHeartbeats {

  /**
   * @param details the last heartbeat details of each pending activity of the type that reported
   *     any, read as {@code type} (details that do not read as one are left out)
   * @param children the workflow ids of its pending child workflows
   */
  record Pending<T>(List<T> details, List<String> children) {
    public static <T> Pending<T> none() {
      return new Pending<>(List.of(), List.of());
    }
  }

  /**
   * @param runId a run of {@code workflowId}, or empty for its latest
   * @return nothing pending when there is no such workflow
   */
  <T> Pending<T> pending(String workflowId, String runId, String activityType, Class<T> type);

  /** Knows of nothing pending: for activities run without a Temporal server to ask. */
  static PendingHeartbeats none() {
    return new PendingHeartbeats() {
      @Override
      public <T> Pending<T> pending(String workflowId, String runId, String activityType, Class<T> type) {
        return Pending.none();
      }
    };
  }
}
