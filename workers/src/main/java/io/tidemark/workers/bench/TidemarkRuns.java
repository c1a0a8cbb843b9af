package io.tidemark.workers.bench;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.tidemark.workflows.TaskQueues;
import io.tidemark.workflows.WorkflowIds;
import io.tidemark.workflows.backup.BackupRequest;
import io.tidemark.workflows.backup.ClusterBackupWorkflow;
import io.tidemark.workflows.model.BackupRecord;
import io.tidemark.workflows.restore.ClusterRestoreWorkflow;
import io.tidemark.workflows.restore.NodeTarget;
import io.tidemark.workflows.restore.RestoreRequest;
import io.tidemark.workflows.restore.RestoreResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Tidemark's backups and restores as a user runs them: ClusterBackup and ClusterRestore workflows,
 * started and awaited here, executed by a worker in its own JVM. The clock runs from the start
 * request to the result. Restores lay the files down without starting PostgreSQL (start=false),
 * as pgBackRest's restore does; starting and checking come after, untimed.
 */
final class TidemarkRuns {

  record Backup(Measurement measurement, BackupRecord record, double transferSeconds, String breakdown) {}

  record Restore(Measurement measurement, double transferSeconds, String breakdown) {}

  static final Set<String> BACKUP_TRANSFER = Set.of("SendFileList", "SendFiles");
  static final Set<String> RESTORE_TRANSFER = Set.of("FetchFiles");

  private final WorkflowClient client;
  private final WorkerJvm worker;
  private final String repository;
  private int restores;

  /** @param repository "local" or "S3", for the report */
  TidemarkRuns(WorkflowClient client, WorkerJvm worker, String repository) {
    this.client = client;
    this.worker = worker;
    this.repository = repository;
  }

  String tool(int parallelism) {
    return "Tidemark " + repository + " p=" + parallelism + " zstd:1";
  }

  Backup backup(DataSet set, int parallelism) {
    ClusterBackupWorkflow workflow = client.newWorkflowStub(ClusterBackupWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(WorkflowIds.backup(set.name()))
        .setTaskQueue(TaskQueues.SHARED)
        .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL)
        .build());
    double cpu = worker.cpuSeconds();
    long start = System.nanoTime();
    WorkflowExecution run = WorkflowClient.start(workflow::backup,
        new BackupRequest(set.name(), "full", parallelism, "bench", "fast", 600, null));
    BackupRecord record = WorkflowStub.fromTyped(workflow).getResult(BackupRecord.class);
    double seconds = (System.nanoTime() - start) / 1e9;
    cpu = worker.cpuSeconds() - cpu;
    if (!record.isCompleted()) {
      throw new IllegalStateException("backup of " + set.name() + " ended " + record.status() + ": " + record.error());
    }
    WorkflowSpans spans = WorkflowSpans.of(client, run.getWorkflowId(), run.getRunId());
    System.out.print(spans.timeline());
    return new Backup(new Measurement("tidemark", tool(parallelism), "backup", set.name(), set.bytes(), seconds,
        record.totalStoredBytes(), cpu), record, spans.span(BACKUP_TRANSFER), spans.breakdown());
  }

  Restore restore(DataSet set, BackupRecord backup, Path target, int port, int parallelism) throws Exception {
    Dirs.remove(target);
    ClusterRestoreWorkflow workflow = client.newWorkflowStub(ClusterRestoreWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(WorkflowIds.restore(set.name(), "bench-" + repository.toLowerCase() + "-" + (++restores)
            + "-" + System.currentTimeMillis()))
        .setTaskQueue(TaskQueues.SHARED)
        .build());
    RestoreRequest request = new RestoreRequest(set.name(), backup.id(), null, null, null, "promote", "off",
        parallelism, List.of(NodeTarget.of(TidemarkConfigFile.NODE, target.toString(), port)
            .withSettings(Map.of("unix_socket_directories", ""))), false);
    double cpu = worker.cpuSeconds();
    long start = System.nanoTime();
    WorkflowExecution run = WorkflowClient.start(workflow::restore, request);
    // A failed node makes ClusterRestore wait for an operator: bound the wait.
    WorkflowStub.fromTyped(workflow).getResult(2, TimeUnit.HOURS, RestoreResult.class);
    double seconds = (System.nanoTime() - start) / 1e9;
    cpu = worker.cpuSeconds() - cpu;
    WorkflowSpans spans = WorkflowSpans.of(client, run.getWorkflowId(), run.getRunId());
    System.out.print(spans.timeline());
    return new Restore(new Measurement("tidemark", tool(parallelism), "restore", set.name(), set.bytes(), seconds, 0,
        cpu), spans.span(RESTORE_TRANSFER), spans.breakdown());
  }
}
