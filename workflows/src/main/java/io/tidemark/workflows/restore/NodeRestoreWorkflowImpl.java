package io.tidemark.workflows.restore;

import io.temporal.workflow.Async;
import io.tidemark.workflows.BatchWindow;
import io.tidemark.workflows.activities.NodeRestoreActivities.FetchFilesInput;
import io.tidemark.workflows.activities.NodeRestoreActivities.FetchResult;
import io.tidemark.workflows.activities.NodeRestoreActivities.PrepareRestoreInput;
import io.tidemark.workflows.activities.NodeRestoreActivities.RecoveryConfigInput;
import io.tidemark.workflows.activities.NodeRestoreActivities.ReplayResult;
import io.tidemark.workflows.activities.NodeRestoreActivities.ReplayWalInput;
import io.tidemark.workflows.activities.NodeRestoreActivities;
import io.tidemark.workflows.model.NodeBackupRecord;

/** One node's restore: prepare, fetch every batch, write the recovery settings, replay WAL. */
public class NodeRestoreWorkflowImpl implements NodeRestoreWorkflow {

  private long files;
  private long bytes;

  @Override
  public NodeRestoreResult restore(NodeRestoreInput in) {
    NodeRestoreActivities agent = RestoreStubs.node(in.taskQueue());
    NodeBackupRecord source = in.source();
    NodeTarget target = in.target();
    agent.prepareRestore(new PrepareRestoreInput(in.restoreId(), in.cluster(), in.backupId(), source.node(),
        source.session(), source.pgVersion(), target.dataDirectory(), target.port(), target.binDirectory()));

    BatchWindow.run(0, source.batches(), in.parallelism(), batch -> Async.function(agent::fetchFiles,
        new FetchFilesInput(in.cluster(), in.backupId(), source.node(), source.session(), batch, target.dataDirectory())),
        this::count);

    agent.writeRecoveryConfig(new RecoveryConfigInput(in.restoreId(), in.cluster(), in.backupId(), source.node(),
        source.session(), target.dataDirectory(), target.port(), in.recovery(), in.inclusive(), in.timeline(),
        in.action(), in.archive(), target.settings(), in.leaveStopped()));
    if (in.leaveStopped()) {
      return new NodeRestoreResult(source.node(), "completed", null, target.dataDirectory(), target.port(), in.taskQueue(),
          "not started", source.stopLsn(), source.timeline(), null, files, bytes);
    }

    ReplayResult replay = agent.replayWal(new ReplayWalInput(in.restoreId(), in.cluster(), source.node(),
        target.dataDirectory(), target.port(), target.binDirectory(), in.action(), source.walSegmentSize()));

    return new NodeRestoreResult(source.node(), "completed", null, target.dataDirectory(), target.port(), in.taskQueue(),
        replay.state(), replay.lsn(), replay.timeline(), replay.lastTransactionTime(), files, bytes);
  }

  private void count(FetchResult r) {
    files += r.files();
    bytes += r.bytes();
  }
}
