package io.tidemark.workflows.backup;

import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Histories recorded from a real backup (PostgreSQL 17, through the S3 server) must replay on the
 * current workflow code. A change that would break running workflows fails here: version it with
 * Workflow.getVersion instead. The end-to-end tests write fresh histories to
 * workers/target/histories.
 */
class ReplayTest {

  @ParameterizedTest
  @ValueSource(strings = {"cluster-backup.json", "node-backup.json"})
  void recordedHistoriesReplay(String file) throws Exception {
    WorkflowReplayer.replayWorkflowExecution(history(file), ClusterBackupWorkflowImpl.class, NodeBackupWorkflowImpl.class);
  }

  private static WorkflowExecutionHistory history(String file) throws IOException {
    try (InputStream in = ReplayTest.class.getResourceAsStream("/histories/" + file)) {
      // The children's ids derive from the parent's, so the replay needs the original id.
      return WorkflowExecutionHistory.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8), "tidemark-backup-pg17");
    }
  }
}
