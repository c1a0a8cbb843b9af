package io.tidemark.activities.retention;

import io.temporal.failure.ApplicationFailure;
import io.tidemark.activities.backup.BackupCatalog;
import io.tidemark.activities.backup.WorkflowLiveness;
import io.tidemark.activities.config.ClusterSettings;
import io.tidemark.activities.config.ConfigException;
import io.tidemark.activities.config.RetentionSettings;
import io.tidemark.activities.config.TidemarkConfig;
import io.tidemark.activities.repository.Repository;
import io.tidemark.activities.runtime.ActivityErrors;
import io.tidemark.activities.runtime.Heartbeat;
import io.tidemark.workflows.Failures;
import io.tidemark.workflows.activities.RetentionActivities;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Shared-queue activities of retention: plan from the records, then delete backups and WAL. */
public final class RetentionActivitiesImpl implements RetentionActivities {

  private static final Logger log = LoggerFactory.getLogger(RetentionActivitiesImpl.class);

  private final TidemarkConfig config;
  private final BackupCatalog catalog;
  private final RestoreLeases leases;
  private final WorkflowLiveness liveness;
  private final BackupDeleter backups;
  private final WalExpirer wal;

  public RetentionActivitiesImpl(TidemarkConfig config, Repository repo, WorkflowLiveness liveness) {
    this.config = config;
    this.catalog = new BackupCatalog(repo);
    this.leases = new RestoreLeases(repo);
    this.liveness = liveness;
    this.backups = new BackupDeleter(repo);
    this.wal = new WalExpirer(repo);
  }

  @Override
  public RetentionPlan planRetention(PlanRetentionInput in) {
    return ActivityErrors.run(() -> {
      RetentionPolicy policy = new RetentionPolicy(settings(in));
      BackupCatalog.Contents backups = catalog.contents(in.cluster());
      RetentionPlan plan = policy.plan(in.cluster(), backups.records(), backups.unrecorded(),
          leases.inUse(in.cluster(), liveness, !in.dryRun()), Instant.now());
      log.info("cluster {}: retention ({}) keeps {} backups, expires {}", in.cluster(), plan.policy(),
          plan.kept().size(), plan.expire().size());
      return plan;
    });
  }

  @Override
  public ExpiredBackup expireBackup(ExpireBackupInput in) {
    return ActivityErrors.run(() -> {
      ExpiredBackup done = backups.delete(in.cluster(), in.backup(), in.dryRun(), Heartbeat.ofCurrentActivity());
      log.info("cluster {}: backup {} {} ({}): {} objects, {} bytes", in.cluster(), done.backupId(),
          in.dryRun() ? "would be expired" : "expired", done.reason(), done.objects(), done.bytes());
      return done;
    });
  }

  @Override
  public WalExpiry expireWal(ExpireWalInput in) {
    return ActivityErrors.run(() -> {
      WalExpiry done = wal.expire(in.cluster(), in.node(), in.keepFrom(), in.dryRun(), Heartbeat.ofCurrentActivity());
      log.info("cluster {}, node {}: WAL before {} {}: {} files, {} bytes", in.cluster(), in.node(), in.keepFrom(),
          in.dryRun() ? "would be expired" : "expired", done.files(), done.bytes());
      return done;
    });
  }

  /** The request's rules where it gives any, else the cluster's; no rule at all is a mistake to name. */
  private RetentionSettings settings(PlanRetentionInput in) throws ConfigException {
    ClusterSettings cluster;
    try {
      cluster = config.requireCluster(in.cluster());
    } catch (ConfigException e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), Failures.UNKNOWN_CLUSTER);
    }
    RetentionSettings requested = new RetentionSettings(in.full(), in.recoveryWindowDays());
    RetentionSettings settings = requested.isSet() ? requested : cluster.retention();
    if (!settings.isSet()) {
      throw new ConfigException("cluster " + in.cluster() + " has no retention policy, so no backup can be expired:"
          + " set clusters." + in.cluster() + ".retention.full (keep the newest N backups) and/or"
          + " .recoveryWindowDays in the configuration, or give full / recoveryWindowDays with this run");
    }
    return settings;
  }
}
