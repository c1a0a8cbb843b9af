package io.tidemark.workflows.restore;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import io.tidemark.workflows.activities.NodeRestoreActivities.FetchFilesInput;
import io.tidemark.workflows.activities.NodeRestoreActivities.FetchResult;

/**
 * Fetches one window of a node's batches; a child of {@link NodeRestoreWorkflow} when a node has
 * more batches than one workflow run should schedule.
 */
@WorkflowInterface
public interface FetchFilesWindowWorkflow {

  String TYPE = "FetchFilesWindow";

  /**
   * @param batch the batch every FetchFiles takes its fields from; its number is replaced
   * @param from first batch of the window
   * @param to one after the last
   */
  record Input(FetchFilesInput batch, String taskQueue, int from, int to, int parallelism) {}

  /** The window's batches added up (its batch number is the window's first). */
  @WorkflowMethod(name = TYPE)
  FetchResult fetch(Input input);
}
