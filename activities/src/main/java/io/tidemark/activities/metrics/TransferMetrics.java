package io.tidemark.activities.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.tidemark.activities.config.RepositorySettings;
import io.tidemark.workflows.activities.NodeBackupActivities.BatchResult;
import io.tidemark.workflows.activities.NodeBackupActivities.FileListSummary;
import io.tidemark.workflows.activities.NodeBackupActivities.SendFileListInput;
import io.tidemark.workflows.activities.NodeBackupActivities.SendFilesInput;
import io.tidemark.workflows.activities.NodeRestoreActivities.FetchFilesInput;
import io.tidemark.workflows.activities.NodeRestoreActivities.FetchResult;
import io.tidemark.workflows.model.BackupRecord;
import io.tidemark.workflows.model.Reuse;

/**
 * Tidemark's own counters, recorded from the results the activities return: what a completed
 * SendFiles or FetchFiles reports is counted once, on the worker that ran it. Tags are the
 * cluster, the node and the repository kind; never a credential, never a path.
 *
 * <p>Only the Micrometer core API is used here, so the activities need no registry: the worker
 * passes its Prometheus registry, tests that do not care take {@link #none()}.
 */
public final class TransferMetrics {

  private static final String RESENT_BYTES =
      "bytes read into a pack never committed, by a crashed attempt or a lost session's batches: sent twice";

  private final MeterRegistry registry;
  private final String repositoryKind;
  private final BackupProgressGauges progress;
  private final BackupOutcomes outcomes;

  public TransferMetrics(MeterRegistry registry, String repositoryKind) {
    this.registry = registry;
    this.repositoryKind = repositoryKind;
    this.progress = new BackupProgressGauges(registry, repositoryKind);
    this.outcomes = new BackupOutcomes(registry);
  }

  /** Records into nothing: a registry with no backing registries makes no-op meters. */
  public static TransferMetrics none() {
    return new TransferMetrics(new CompositeMeterRegistry(), "none");
  }

  /** {@code s3} or {@code local}: the one repository fact worth a tag. */
  public static String repositoryKind(RepositorySettings settings) {
    return settings.s3() != null ? "s3" : "local";
  }

  public void fileListed(SendFileListInput in, FileListSummary summary) {
    progress.planned(in.cluster(), in.node(), in.backupId(), in.session(), summary.files(), summary.bytes());
  }

  public void batchSent(SendFilesInput in, BatchResult r) {
    Tags tags = nodeTags(in.cluster(), in.node());
    add(MetricNames.BACKUP_BATCHES, "SendFiles batches completed", tags, 1);
    add(MetricNames.BACKUP_FILES, "files in completed SendFiles batches (sent, resumed or reused)", tags, r.files());
    add(MetricNames.BACKUP_BYTES, "their size in the data directory", tags, r.bytes());
    add(MetricNames.BACKUP_STORED_BYTES, "their size in the repository, after compression", tags, r.storedBytes());
    add(MetricNames.BACKUP_RESUMED_FILES, "files a retried SendFiles took over from an earlier attempt's packs",
        tags, r.resumed());
    add(MetricNames.BACKUP_VANISHED_FILES, "files listed but gone when read (WAL replay recreates them)", tags,
        r.vanished());
    add(MetricNames.BACKUP_CORRUPT_PAGES, "data pages whose checksum failed twice", tags, r.corruptPages());
    Reuse reuse = r.reuse() == null ? Reuse.NONE : r.reuse();
    add(MetricNames.BACKUP_REUSED_FILES, "files a lost session stored whose bytes proved unchanged", tags,
        reuse.reusedFiles());
    add(MetricNames.BACKUP_REUSED_BYTES, "size of those files: not sent again", tags, reuse.reusedBytes());
    add(MetricNames.BACKUP_RESENT_BYTES, RESENT_BYTES, tags, reuse.resentBytes());
    progress.done(in.cluster(), in.node(), in.backupId(), in.session(), r.files(), r.bytes());
  }

  /**
   * What a lost session's batches had read into packs they never committed (CountOpenPacks): sent
   * again by the next session. Counted on the worker that counted them, like a batch's own.
   */
  public void lostSessionResent(String cluster, String node, long bytes) {
    add(MetricNames.BACKUP_RESENT_BYTES, RESENT_BYTES, nodeTags(cluster, node), bytes);
  }

  public void batchFetched(FetchFilesInput in, FetchResult r) {
    Tags tags = nodeTags(in.cluster(), in.node());
    add(MetricNames.RESTORE_BATCHES, "FetchFiles batches completed", tags, 1);
    add(MetricNames.RESTORE_FILES, "files written and verified by completed FetchFiles", tags, r.files());
    add(MetricNames.RESTORE_BYTES, "their size", tags, r.bytes());
    add(MetricNames.RESTORE_RESUMED_FILES, "files a retried FetchFiles found written and synced by an earlier attempt",
        tags, r.resumed());
  }

  public void backupCommitted(BackupRecord record) {
    outcomes.committed(record);
  }

  /** The cluster's newest completed backup in the repository (null: none), as a worker learns it at start. */
  public void newestCompletedBackup(String cluster, BackupRecord newest) {
    outcomes.newestInRepository(cluster, newest);
  }

  private Tags nodeTags(String cluster, String node) {
    return Tags.of("cluster", cluster, "node", node, "repository", repositoryKind);
  }

  private void add(String name, String description, Tags tags, long amount) {
    // Registered even when zero, so that every series exists from the first batch on.
    Counter.builder(name).description(description).tags(tags).register(registry).increment(amount);
  }
}
