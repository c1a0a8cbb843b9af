package io.tidemark.workers.it;

import io.temporal.client.WorkflowClient;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import io.tidemark.workflows.backup.ClusterBackupWorkflowImpl;
import io.tidemark.workflows.backup.NodeBackupWorkflowImpl;
import io.tidemark.workflows.restore.ClusterRestoreWorkflowImpl;
import io.tidemark.workflows.restore.NodeRestoreWorkflowImpl;
import io.tidemark.workflows.retention.ClusterRetentionWorkflowImpl;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The workflows' code must replay the histories it wrote: a real run's history, replayed, proves
 * the workflow deterministic. Each history is also kept in target/histories, from which the
 * workflows module's golden histories are taken.
 */
final class Histories {

  private Histories() {}

  static void replay(WorkflowClient client, String... workflowIds) throws Exception {
    for (String id : workflowIds) {
      WorkflowExecutionHistory history = client.fetchHistory(id);
      WorkflowReplayer.replayWorkflowExecution(history, ClusterBackupWorkflowImpl.class, NodeBackupWorkflowImpl.class,
          ClusterRestoreWorkflowImpl.class, NodeRestoreWorkflowImpl.class, ClusterRetentionWorkflowImpl.class);
      Path saved = Path.of("target", "histories", id.replace('/', '_') + ".json");
      Files.createDirectories(saved.getParent());
      Files.writeString(saved, history.toJson(true));
    }
  }
}
