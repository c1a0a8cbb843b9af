package io.tidemark.workers.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.failure.ApplicationFailure;
import io.tidemark.activities.config.ListenAddress;
import io.tidemark.activities.metrics.TransferMetrics;
import io.tidemark.workflows.activities.NodeBackupActivities.BatchResult;
import io.tidemark.workflows.activities.NodeBackupActivities.FileListSummary;
import io.tidemark.workflows.activities.NodeBackupActivities.SendFileListInput;
import io.tidemark.workflows.activities.NodeBackupActivities.SendFilesInput;
import io.tidemark.workflows.activities.NodeRestoreActivities.FetchFilesInput;
import io.tidemark.workflows.activities.NodeRestoreActivities.FetchResult;
import io.tidemark.workflows.model.Reuse;
import java.io.IOException;
import java.net.BindException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerMetricsTest {

  private static final Map<String, String> PG1 = Map.of("cluster", "main", "node", "pg1", "repository", "s3");

  @Test
  void countsWhatBatchResultsSayAndServesItOnLoopback() throws Exception {
    try (WorkerMetrics metrics = WorkerMetrics.serve(ListenAddress.parse("0"))) {
      assertEquals("127.0.0.1", metrics.address().getAddress().getHostAddress(), "a bare port means loopback");
      String base = "http://" + ListenAddress.of(metrics.address());
      assertEquals(200, Scrape.get(base + "/healthz").statusCode());
      assertEquals(503, Scrape.get(base + "/readyz").statusCode(), "not ready before the worker polls");
      metrics.markReady();
      assertEquals(200, Scrape.get(base + "/readyz").statusCode());

      TransferMetrics transfers = new TransferMetrics(metrics.registry(), "s3");
      transfers.fileListed(new SendFileListInput("main", "pg1", "B1", 2, 170000, 4), new FileListSummary(30, 9000, 3, 3, 4));
      SendFilesInput batch0 = new SendFilesInput("main", "pg1", "B1", 2, 0, true, "0/1000028", false);
      // A retried attempt: 2 files resumed from the first attempt's packs, 3 reused from session 1, 700 bytes re-sent.
      transfers.batchSent(batch0, new BatchResult(0, 10, 4000, 1500, 1, 2, 1, List.of("base/1/2 block 0"),
          new Reuse(3, 1200, 700)));
      transfers.batchSent(new SendFilesInput("main", "pg1", "B1", 2, 1, true, "0/1000028", false),
          new BatchResult(1, 5, 1000, 400, 0, 0, 0, null, null));
      transfers.batchFetched(new FetchFilesInput("main", "B1", "pg1", 2, 0, "/r"), new FetchResult(0, 12, 5000, 3));

      Scrape s = Scrape.of(base + "/metrics");
      assertEquals(2, s.sum("tidemark_backup_batches_total", PG1));
      assertEquals(15, s.sum("tidemark_backup_files_total", PG1));
      assertEquals(5000, s.sum("tidemark_backup_bytes_total", PG1));
      assertEquals(1900, s.sum("tidemark_backup_stored_bytes_total", PG1));
      assertEquals(2, s.sum("tidemark_backup_resumed_files_total", PG1));
      assertEquals(1, s.sum("tidemark_backup_vanished_files_total", PG1));
      assertEquals(1, s.sum("tidemark_backup_corrupt_pages_total", PG1));
      assertEquals(3, s.sum("tidemark_backup_reused_files_total", PG1));
      assertEquals(1200, s.sum("tidemark_backup_reused_bytes_total", PG1));
      assertEquals(700, s.sum("tidemark_backup_resent_bytes_total", PG1));
      assertEquals(9000, s.sum("tidemark_backup_progress_planned_bytes", PG1));
      assertEquals(30, s.sum("tidemark_backup_progress_planned_files", PG1));
      assertEquals(5000, s.sum("tidemark_backup_progress_done_bytes", PG1));
      assertEquals(15, s.sum("tidemark_backup_progress_done_files", PG1));
      assertEquals(1, s.sum("tidemark_restore_batches_total", PG1));
      assertEquals(12, s.sum("tidemark_restore_files_total", PG1));
      assertEquals(5000, s.sum("tidemark_restore_bytes_total", PG1));
      assertEquals(3, s.sum("tidemark_restore_resumed_files_total", PG1));

      // A new session starts the node's progress from zero.
      transfers.batchSent(new SendFilesInput("main", "pg1", "B1", 3, 0, true, "0/3000028", false),
          new BatchResult(0, 1, 10, 5, 0, 0, 0, null, Reuse.NONE));
      Scrape after = Scrape.of(base + "/metrics");
      assertEquals(10, after.sum("tidemark_backup_progress_done_bytes", PG1));
      assertEquals(0, after.sum("tidemark_backup_progress_planned_bytes", PG1));
      assertEquals(5010, after.sum("tidemark_backup_bytes_total", PG1), "counters never reset");

      // A lost session's open packs (CountOpenPacks, on a shared worker) add to the same counter.
      transfers.lostSessionResent("main", "pg1", 300);
      assertEquals(1000, Scrape.of(base + "/metrics").sum("tidemark_backup_resent_bytes_total", PG1));
    }
  }

  @Test
  void aTakenPortIsNamedWithTheWaysOut() throws Exception {
    try (WorkerMetrics first = WorkerMetrics.serve(ListenAddress.parse("127.0.0.1:0"))) {
      BindException e = assertThrows(BindException.class,
          () -> WorkerMetrics.serve(ListenAddress.of(first.address())).close());
      assertTrue(e.getMessage().contains("worker.metrics.listen") && e.getMessage().contains("--metrics-listen"),
          e.getMessage());
    }
  }

  @Test
  void failuresAreTaggedByTheirClassifiedTypeOrRootCause() {
    assertEquals("UnknownCluster", ActivityFailureInterceptor.failureType(
        ApplicationFailure.newNonRetryableFailure("unknown cluster 'x'", "UnknownCluster")));
    assertEquals("NoSuchFileException", ActivityFailureInterceptor.failureType(
        new RuntimeException(new IOException(new java.nio.file.NoSuchFileException("/secret/path")))));
    assertFalse(ActivityFailureInterceptor.failureType(new IllegalStateException("x")).contains("x "));
  }
}
