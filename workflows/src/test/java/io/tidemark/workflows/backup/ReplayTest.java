package io.tidemark.workflows.backup;

import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import io.tidemark.workflows.restore.ClusterRestoreWorkflowImpl;
import io.tidemark.workflows.restore.NodeRestoreWorkflowImpl;
import io.tidemark.workflows.retention.ClusterRetentionWorkflowImpl;
import io.tidemark.workflows.schedule.ScheduledBackupWorkflowImpl;
import io.tidemark.workflows.schedule.ScheduledRetentionWorkflowImpl;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Histories recorded from real backups (PostgreSQL 17) and real restores (a point-in-time restore
 * of PostgreSQL 15; a four-node cluster restore with one node retried by an operator), through
 * the S3 server, must replay on the current workflow code. A change that would break running workflows fails here: version it with
 * Workflow.getVersion instead. The end-to-end tests write fresh histories to
 * workers/target/histories.
 */
class ReplayTest {

  @ParameterizedTest
  @CsvSource({"cluster-backup.json, tidemark-backup-pg17", "node-backup.json, tidemark-backup-pg17",
      "cluster-restore.json, tidemark-restore-pitr15-time", "node-restore.json, tidemark-restore-pitr15-time",
      // Since the cluster restore point, per-node retry and progress signals (each behind getVersion):
      "cluster-backup-v1.json, tidemark-backup-pg17", "node-backup-v1.json, tidemark-backup-pg17/20261121-144752F/n1",
      "cluster-restore-v1.json, tidemark-restore-dist-20261121-144608",
      "node-restore-v1.json, tidemark-restore-dist-20261121-144608/seg2/attempt-2",
      // A scheduled run (the cron fallback) that backed up, and one that found a backup running; each
      // without its last event: the replayer takes a cron run's continue-as-new for a mismatch.
      "scheduled-backup.json, tidemark-schedule-main", "scheduled-backup-skipped.json, tidemark-schedule-main",
      // Retention: a backup of a cluster with a policy (RetentionIT's third), a ClusterRetention run
      // that expired a backup and WAL through S3, a scheduled run whose retention failed.
      "cluster-backup-retention.json, tidemark-backup-keep", "cluster-retention.json, tidemark-retention-keep",
      "scheduled-retention.json, s1",
      // CrashIT's node backup (PostgreSQL 16): sessions lost in SendFileList, mid-SendFiles and StopBackup,
      // the open packs of the two lost while copying counted (CountOpenPacks, behind getVersion)
      "node-backup-lost-sessions.json, tidemark-backup-crash/20261121-223833F/n1"})
  void recordedHistoriesReplay(String file, String workflowId) throws Exception {
    WorkflowReplayer.replayWorkflowExecution(history(file, workflowId), ClusterBackupWorkflowImpl.class,
        NodeBackupWorkflowImpl.class, ClusterRestoreWorkflowImpl.class, NodeRestoreWorkflowImpl.class,
        ScheduledBackupWorkflowImpl.class, ClusterRetentionWorkflowImpl.class, ScheduledRetentionWorkflowImpl.class);
  }

  private static WorkflowExecutionHistory history(String file, String workflowId) throws IOException {
    try (InputStream in = ReplayTest.class.getResourceAsStream("/histories/" + file)) {
      // The children's ids derive from the parent's, so the replay needs the original id.
      return WorkflowExecutionHistory.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8), workflowId);
    }
  }
}
