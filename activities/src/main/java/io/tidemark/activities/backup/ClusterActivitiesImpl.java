package io.tidemark.activities.backup;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInfo;
import io.temporal.failure.ApplicationFailure;
import io.tidemark.activities.config.ClusterSettings;
import io.tidemark.activities.config.ConfigException;
import io.tidemark.activities.config.TidemarkConfig;
import io.tidemark.activities.metrics.TransferMetrics;
import io.tidemark.activities.repository.Repository;
import io.tidemark.activities.restore.RestorePlanner;
import io.tidemark.activities.retention.RestoreLeases;
import io.tidemark.activities.retention.RestoreLeases.Lease;
import io.tidemark.activities.wal.WalArchive;
import io.tidemark.activities.runtime.ActivityErrors;
import io.tidemark.workflows.Failures;
import io.tidemark.workflows.activities.ClusterActivities;
import io.tidemark.workflows.model.BackupRecord;
import io.tidemark.workflows.restore.RestoreRequest;

/** Shared-queue activities: the configuration, the lock and the catalog. */
public final class ClusterActivitiesImpl implements ClusterActivities {

  private final TidemarkConfig config;
  private final BackupLocks locks;
  private final BackupCatalog catalog;
  private final RestorePlanner restorePlanner;
  private final TransferMetrics metrics;
  private final RestoreLeases leases;
  private final OpenPackCounter openPacks;

  public ClusterActivitiesImpl(TidemarkConfig config, Repository repo, WorkflowLiveness liveness) {
    this(config, repo, liveness, PendingHeartbeats.none(), TransferMetrics.none());
  }

  /** @param server what the Temporal server holds of pending activities, for CountOpenPacks */
  public ClusterActivitiesImpl(TidemarkConfig config, Repository repo, WorkflowLiveness liveness,
      PendingHeartbeats server, TransferMetrics metrics) {
    this.config = config;
    this.metrics = metrics;
    this.openPacks = new OpenPackCounter(server);
    this.locks = new BackupLocks(repo, liveness);
    this.catalog = new BackupCatalog(repo);
    this.restorePlanner = new RestorePlanner(config, catalog, new WalArchive(repo));
    this.leases = new RestoreLeases(repo);
  }

  @Override
  public ClusterSpec describeCluster(DescribeClusterInput in) {
    ClusterSettings cluster;
    try {
      cluster = config.requireCluster(in.cluster());
    } catch (ConfigException e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), Failures.UNKNOWN_CLUSTER);
    }
    return new ClusterSpec(in.cluster(), cluster.flavor(),
        cluster.nodes().stream().map(n -> new NodeSpec(n.name(), n.role(), n.taskQueue())).toList(),
        config.temporal().searchAttributes(), cluster.retention().isSet());
  }

  @Override
  public boolean acquireBackupLock(BackupLock lock) {
    return ActivityErrors.run(() -> locks.acquire(lock));
  }

  @Override
  public void releaseBackupLock(BackupLock lock) {
    ActivityErrors.runVoid(() -> locks.release(lock));
  }

  @Override
  public void commitBackup(BackupRecord record) {
    ActivityErrors.runVoid(() -> {
      catalog.commit(record);
      metrics.backupCommitted(record);
    });
  }

  @Override
  public RestorePlan resolveRestore(RestoreRequest request) {
    return ActivityErrors.run(() -> {
      RestorePlan plan = restorePlanner.plan(request);
      // Retention keeps the backup while this restore runs.
      ActivityInfo info = Activity.getExecutionContext().getInfo();
      leases.take(plan.backup().cluster(), new Lease(plan.backup().id(), info.getWorkflowId(), info.getRunId()));
      return plan;
    });
  }

  @Override
  public OpenPacks countOpenPacks(LostSession lost) {
    OpenPacks open = openPacks.count(lost);
    metrics.lostSessionResent(lost.cluster(), lost.node(), open.bytes());
    return open;
  }
}
