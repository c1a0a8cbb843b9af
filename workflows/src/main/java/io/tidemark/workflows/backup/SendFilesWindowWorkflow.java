package io.tidemark.workflows.backup;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import io.tidemark.workflows.activities.NodeBackupActivities.BatchResult;
import io.tidemark.workflows.activities.NodeBackupActivities.SendFilesInput;

/**
 * Sends one window of a session's batches; a child of {@link NodeBackupWorkflow} when a node has
 * more batches than one workflow run should schedule. Its history, and its parent's, stay bounded
 * however large the node.
 */
@WorkflowInterface
public interface SendFilesWindowWorkflow {

  String TYPE = "SendFilesWindow";

  /**
   * @param batch the batch every SendFiles takes its fields from; its number is replaced
   * @param from first batch of the window
   * @param to one after the last
   */
  record Input(SendFilesInput batch, String taskQueue, int walArchiveTimeoutSeconds, int from, int to,
      int parallelism) {}

  /** The window's batches added up, as one BatchResult (its batch number is the window's first). */
  @WorkflowMethod(name = TYPE)
  BatchResult send(Input input);
}
