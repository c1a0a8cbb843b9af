package io.tidemark.workflows.backup;

import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import io.tidemark.workflows.restore.ClusterRestoreWorkflowImpl;
import io.tidemark.workflows.restore.NodeRestoreWorkflowImpl;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Histories recorded from a real backup (PostgreSQL 17) and a real point-in-time restore
 * (PostgreSQL 15), through the S3 server, must replay on the current workflow code. A change that would break running workflows fails here: version it with
 * Workflow.getVersion instead. The end-to-end tests write fresh histories to
 * workers/target/histories.
 */
class ReplayTest {

  @ParameterizedTest
  @CsvSource({"cluster-backup.json, tidemark-backup-pg17", "node-backup.json, tidemark-backup-pg17",
      "cluster-restore.json, tidemark-restore-pitr15-time", "node-restore.json, tidemark-restore-pitr15-time"})
  void recordedHistoriesReplay(String file, String workflowId) throws Exception {
    WorkflowReplayer.replayWorkflowExecution(history(file, workflowId), ClusterBackupWorkflowImpl.class,
        NodeBackupWorkflowImpl.class, ClusterRestoreWorkflowImpl.class, NodeRestoreWorkflowImpl.class);
  }

  private static WorkflowExecutionHistory history(String file, String workflowId) throws IOException {
    try (InputStream in = ReplayTest.class.getResourceAsStream("/histories/" + file)) {
      // The children's ids derive from the parent's, so the replay needs the original id.
      return WorkflowExecutionHistory.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8), workflowId);
    }
  }
}
