package io.tidemark.workflows.restore;

import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import io.tidemark.workflows.BatchWindow;
import io.tidemark.workflows.WorkflowIds;
import io.tidemark.workflows.activities.NodeRestoreActivities.FetchFilesInput;
import io.tidemark.workflows.activities.NodeRestoreActivities.FetchResult;
import io.tidemark.workflows.activities.NodeRestoreActivities.PrepareRestoreInput;
import io.tidemark.workflows.activities.NodeRestoreActivities.RecoveryConfigInput;
import io.tidemark.workflows.activities.NodeRestoreActivities.ReplayResult;
import io.tidemark.workflows.activities.NodeRestoreActivities.ReplayWalInput;
import io.tidemark.workflows.activities.NodeRestoreActivities;
import io.tidemark.workflows.model.NodeBackupRecord;
import java.util.Optional;

/**
 * One node's restore: prepare, fetch every batch, write the recovery settings, replay WAL. It
 * tells its cluster restore where it stands at each phase and about every tenth of its batches.
 */
public class NodeRestoreWorkflowImpl implements NodeRestoreWorkflow {

  /** Node restores started before they reported progress replay without reporting. */
  static final String PROGRESS_CHANGE = "node-progress-signals";
  private static final int REPORTS_WHILE_FETCHING = 10;

  private NodeRestoreInput in;
  private Optional<ClusterRestoreWorkflow> parent = Optional.empty();
  private int batchesDone;
  private int lastReported;
  private long files;
  private long bytes;

  @Override
  public NodeRestoreResult restore(NodeRestoreInput input) {
    in = input;
    if (Workflow.getVersion(PROGRESS_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1) {
      parent = Workflow.getInfo().getParentWorkflowId()
          .map(id -> Workflow.newExternalWorkflowStub(ClusterRestoreWorkflow.class, id));
    }
    NodeRestoreActivities agent = RestoreStubs.node(in.taskQueue());
    NodeBackupRecord source = in.source();
    NodeTarget target = in.target();
    report("preparing");
    agent.prepareRestore(new PrepareRestoreInput(in.restoreId(), in.cluster(), in.backupId(), source.node(),
        source.session(), source.pgVersion(), target.dataDirectory(), target.port(), target.binDirectory()));

    report("fetching");
    fetchBatches(agent, new FetchFilesInput(in.cluster(), in.backupId(), source.node(), source.session(), 0,
        target.dataDirectory()));

    report("configuring");
    agent.writeRecoveryConfig(new RecoveryConfigInput(in.restoreId(), in.cluster(), in.backupId(), source.node(),
        source.session(), target.dataDirectory(), target.port(), in.recovery(), in.inclusive(), in.timeline(),
        in.action(), in.archive(), target.settings(), in.leaveStopped()));
    if (in.leaveStopped()) {
      return new NodeRestoreResult(source.node(), "completed", null, target.dataDirectory(), target.port(), in.taskQueue(),
          "not started", source.stopLsn(), source.timeline(), null, files, bytes);
    }

    report("replaying");
    ReplayResult replay = agent.replayWal(new ReplayWalInput(in.restoreId(), in.cluster(), source.node(),
        target.dataDirectory(), target.port(), target.binDirectory(), in.action(), source.walSegmentSize()));

    return new NodeRestoreResult(source.node(), "completed", null, target.dataDirectory(), target.port(), in.taskQueue(),
        replay.state(), replay.lsn(), replay.timeline(), replay.lastTransactionTime(), files, bytes);
  }

  /** Batches one workflow run schedules itself, at most; more go to windows, one child each. */
  static final int WINDOW_BATCHES = 1000;
  /** Restores started before windows existed replay without them. */
  static final String WINDOWS_CHANGE = "fetch-files-windows";

  private void fetchBatches(NodeRestoreActivities agent, FetchFilesInput first) {
    int batches = in.source().batches();
    if (batches <= WINDOW_BATCHES || Workflow.getVersion(WINDOWS_CHANGE, Workflow.DEFAULT_VERSION, 1) < 1) {
      BatchWindow.run(0, batches, in.parallelism(),
          b -> Async.function(agent::fetchFiles, FetchFilesWindowWorkflowImpl.numbered(first, b)), r -> count(r, 1));
      return;
    }
    for (int from = 0; from < batches; from += WINDOW_BATCHES) {
      int to = Math.min(batches, from + WINDOW_BATCHES);
      FetchFilesWindowWorkflow window = Workflow.newChildWorkflowStub(FetchFilesWindowWorkflow.class,
          ChildWorkflowOptions.newBuilder()
              .setWorkflowId(WorkflowIds.fetchWindow(Workflow.getInfo().getWorkflowId(), from / WINDOW_BATCHES))
              .build());
      count(window.fetch(new FetchFilesWindowWorkflow.Input(first, in.taskQueue(), from, to, in.parallelism())), to - from);
    }
  }

  private void count(FetchResult r, int batchesInResult) {
    batchesDone += batchesInResult;
    files += r.files();
    bytes += r.bytes();
    int batches = in.source().batches();
    if ((long) (batchesDone - lastReported) * REPORTS_WHILE_FETCHING >= batches && batchesDone < batches) {
      report("fetching");
    }
  }

  /** Signals the parent without waiting: progress is a courtesy, never a reason to stop. */
  private void report(String phase) {
    lastReported = batchesDone;
    parent.ifPresent(p -> Async.procedure(p::nodeProgress, new NodeProgress(in.source().node(),
        Math.max(1, in.attempt()), phase, batchesDone, in.source().batches(), files, bytes))
        .exceptionally(failure -> null));
  }
}
