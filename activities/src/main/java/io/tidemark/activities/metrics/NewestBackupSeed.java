package io.tidemark.activities.metrics;

import io.tidemark.activities.backup.BackupCatalog;
import io.tidemark.activities.runtime.DaemonThreads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a starting worker's metrics each cluster's newest completed backup, from the repository's
 * catalog, so that {@code tidemark_backup_last_completed_timestamp_seconds} is there after a
 * restart and not only after the next commit. It runs on a thread of its own: a slow or
 * unreachable repository never holds up the worker's start. A cluster whose catalog cannot be
 * read is tried again, less and less often.
 */
public final class NewestBackupSeed implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(NewestBackupSeed.class);
  static final Duration FIRST_RETRY = Duration.ofSeconds(30);
  static final Duration LAST_RETRY = Duration.ofMinutes(10);

  private final BackupCatalog catalog;
  private final String repository;
  private final List<String> clusters;
  private final TransferMetrics metrics;
  private final Duration firstRetry;
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("tidemark-newest-backup"));

  /**
   * @param repository the repository as messages name it (never a credential)
   * @param clusters the clusters of the worker's configuration
   */
  public NewestBackupSeed(BackupCatalog catalog, String repository, List<String> clusters, TransferMetrics metrics) {
    this(catalog, repository, clusters, metrics, FIRST_RETRY);
  }

  NewestBackupSeed(BackupCatalog catalog, String repository, List<String> clusters, TransferMetrics metrics,
      Duration firstRetry) {
    this.catalog = catalog;
    this.repository = repository;
    this.clusters = List.copyOf(clusters);
    this.metrics = metrics;
    this.firstRetry = firstRetry;
  }

  /** Starts reading; returns at once. */
  public NewestBackupSeed start() {
    thread.execute(() -> seed(clusters, firstRetry));
    return this;
  }

  private void seed(List<String> clusters, Duration retry) {
    List<String> failed = new ArrayList<>();
    for (String cluster : clusters) {
      try {
        metrics.newestCompletedBackup(cluster, catalog.newestCompleted(cluster).orElse(null));
      } catch (Exception e) {
        failed.add(cluster);
        log.warn("cannot read the newest completed backup of cluster {} from {}; its "
            + "tidemark_backup_last_completed_timestamp_seconds waits for the next backup or a retry in {} s: {}",
            cluster, repository, retry.toSeconds(), e.toString());
      }
    }
    if (!failed.isEmpty()) {
      Duration next = retry.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : retry.multipliedBy(2);
      try {
        thread.schedule(() -> seed(failed, next), retry.toMillis(), TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException closed) {
        // the worker is stopping
      }
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
