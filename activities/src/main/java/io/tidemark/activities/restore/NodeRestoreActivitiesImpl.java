package io.tidemark.activities.restore;

import io.tidemark.activities.config.TidemarkConfig;
import io.tidemark.activities.metrics.TransferMetrics;
import io.tidemark.activities.repository.Repository;
import io.tidemark.activities.runtime.ActivityErrors;
import io.tidemark.activities.runtime.Heartbeat;
import io.tidemark.workflows.activities.NodeRestoreActivities;

/** The node agent's restore activities; each delegates to the class that does the work. */
public final class NodeRestoreActivitiesImpl implements NodeRestoreActivities {

  private final RestorePreparer preparer;
  private final BatchFetcher fetcher;
  private final RecoveryConfigWriter configWriter;
  private final WalReplayer replayer;
  private final AfterRestoreRunner afterRestore;
  private final TransferMetrics metrics;

  /** @param tidemarkCommand how PostgreSQL on this host runs tidemark (restore_command), --config included */
  public NodeRestoreActivitiesImpl(TidemarkConfig config, Repository repo, String tidemarkCommand) {
    this(config, repo, tidemarkCommand, TransferMetrics.none());
  }

  public NodeRestoreActivitiesImpl(TidemarkConfig config, Repository repo, String tidemarkCommand,
      TransferMetrics metrics) {
    this.metrics = metrics;
    NodeDefaults defaults = new NodeDefaults(config);
    this.preparer = new RestorePreparer(repo, defaults);
    this.fetcher = new BatchFetcher(repo);
    this.configWriter = new RecoveryConfigWriter(repo, tidemarkCommand);
    this.replayer = new WalReplayer(defaults);
    this.afterRestore = new AfterRestoreRunner(defaults);
  }

  @Override
  public void prepareRestore(PrepareRestoreInput in) {
    ActivityErrors.runVoid(() -> preparer.prepare(in));
  }

  @Override
  public FetchResult fetchFiles(FetchFilesInput in) {
    return ActivityErrors.run(() -> {
      FetchResult result = fetcher.fetch(in, Heartbeat.ofCurrentActivity());
      metrics.batchFetched(in, result);
      return result;
    });
  }

  @Override
  public void writeRecoveryConfig(RecoveryConfigInput in) {
    ActivityErrors.runVoid(() -> configWriter.write(in));
  }

  @Override
  public ReplayResult replayWal(ReplayWalInput in) {
    return ActivityErrors.run(() -> replayer.replay(in, Heartbeat.ofCurrentActivity()));
  }

  @Override
  public void runSql(RunSqlInput in) {
    ActivityErrors.runVoid(() -> afterRestore.run(in));
  }
}
