package io.tidemark.workflows.restore;

import io.temporal.workflow.Async;
import io.tidemark.workflows.BatchWindow;
import io.tidemark.workflows.activities.NodeRestoreActivities;
import io.tidemark.workflows.activities.NodeRestoreActivities.FetchFilesInput;
import io.tidemark.workflows.activities.NodeRestoreActivities.FetchResult;

public class FetchFilesWindowWorkflowImpl implements FetchFilesWindowWorkflow {

  private long files;
  private long bytes;
  private long resumed;

  @Override
  public FetchResult fetch(Input in) {
    NodeRestoreActivities agent = RestoreStubs.node(in.taskQueue());
    BatchWindow.run(in.from(), in.to(), in.parallelism(),
        b -> Async.function(agent::fetchFiles, numbered(in.batch(), b)), this::add);
    return new FetchResult(in.from(), files, bytes, resumed);
  }

  private void add(FetchResult r) {
    files += r.files();
    bytes += r.bytes();
    resumed += r.resumed();
  }

  static FetchFilesInput numbered(FetchFilesInput t, int batch) {
    return new FetchFilesInput(t.cluster(), t.backupId(), t.node(), t.session(), batch, t.dataDirectory());
  }
}
