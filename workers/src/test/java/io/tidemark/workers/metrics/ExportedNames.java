package io.tidemark.workers.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tidemark.activities.metrics.TransferMetrics;
import io.tidemark.activities.wal.spool.PushStats;
import io.tidemark.activities.wal.spool.PushTiming;
import io.tidemark.workflows.activities.NodeBackupActivities.BatchResult;
import io.tidemark.workflows.activities.NodeBackupActivities.FileListSummary;
import io.tidemark.workflows.activities.NodeBackupActivities.SendFileListInput;
import io.tidemark.workflows.activities.NodeBackupActivities.SendFilesInput;
import io.tidemark.workflows.activities.NodeRestoreActivities.FetchFilesInput;
import io.tidemark.workflows.activities.NodeRestoreActivities.FetchResult;
import io.tidemark.workflows.model.BackupRecord;
import io.tidemark.workflows.model.Reuse;
import java.util.List;
import java.util.Set;

/** The names Tidemark's own recording code makes, as Prometheus scrapes them. */
public final class ExportedNames {

  private ExportedNames() {}

  public static Set<String> tidemark() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    TransferMetrics m = new TransferMetrics(registry, "s3");
    m.fileListed(new SendFileListInput("c", "n", "B", 1, 170000, 4), new FileListSummary(1, 1, 1, 2, 0));
    m.batchSent(new SendFilesInput("c", "n", "B", 1, 0, false, "0/0", false),
        new BatchResult(0, 1, 1, 1, 0, 0, 0, null, new Reuse(1, 1, 1)));
    m.batchFetched(new FetchFilesInput("c", "B", "n", 1, 0, "/r"), new FetchResult(0, 1, 1, 0));
    for (String status : List.of(BackupRecord.COMPLETED, BackupRecord.FAILED)) {
      m.backupCommitted(new BackupRecord(BackupRecord.FORMAT, "B", "c", "full", null, status, null, null, null, 0, "w",
          List.of()));
    }
    ActivityFailureInterceptor.count(registry, "SendFiles", "IOException");
    new ArchiveLag.Readings(registry, "c", "n");
    PushStats pushed = PushStats.empty().plus(List.of(new PushTiming(PushTiming.ASKED, PushTiming.STORED, 1, 1)), 0);
    registry.getPrometheusRegistry().register(
        () -> WalPushTimes.snapshots(List.of(new WalPushTimes.NodeStats("c", "n", pushed)), 0));
    return new Scrape(registry.scrape()).names();
  }
}
