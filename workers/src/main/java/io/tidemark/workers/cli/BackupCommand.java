package io.tidemark.workers.cli;

import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.tidemark.workflows.TaskQueues;
import io.tidemark.workflows.WorkflowIds;
import io.tidemark.workflows.backup.BackupRequest;
import io.tidemark.workflows.backup.ClusterBackupWorkflow;
import io.tidemark.workflows.model.BackupRecord;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** tidemark backup: starts a ClusterBackup workflow. */
public final class BackupCommand implements Command {

  @Override
  public String name() {
    return "backup";
  }

  @Override
  public String summary() {
    return "back up a cluster (starts the ClusterBackup workflow)";
  }

  @Override
  public String usage() {
    return "usage: tidemark backup --cluster CLUSTER [--type full] [--parallelism N] [--label TEXT]\n"
        + "                        [--checkpoint fast|spread] [--wal-timeout SECONDS] [--session-timeout SECONDS]\n"
        + "                        [--manifest-checksum CRC32C|SHA256] [--wait] [--output text|json]\n\n"
        + "Starts workflow ClusterBackup with id " + WorkflowIds.backup("CLUSTER") + " on task queue '" + TaskQueues.SHARED
        + "'.\nOnly one backup of a cluster runs at a time; a second is refused. With --wait it prints the\n"
        + "backup record when the backup ends and exits 1 if it failed.\n";
  }

  @Override
  public Set<String> options() {
    return Set.of("cluster", "type", "parallelism", "label", "checkpoint", "wal-timeout", "session-timeout",
        "manifest-checksum", "output");
  }

  @Override
  public Set<String> flags() {
    return Set.of("wait");
  }

  @Override
  public int run(Args args, Context context) {
    Output output = context.output(args);
    BackupRequest request = request(args);
    context.config().requireCluster(request.cluster());

    WorkflowClient client = context.client();
    String workflowId = WorkflowIds.backup(request.cluster());
    ClusterBackupWorkflow workflow = client.newWorkflowStub(ClusterBackupWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(workflowId)
        .setTaskQueue(TaskQueues.SHARED)
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
        .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL)
        .build());
    try {
      WorkflowClient.start(workflow::backup, request);
    } catch (WorkflowExecutionAlreadyStarted e) {
      context.err().println("tidemark backup: a backup of cluster " + request.cluster() + " is already running"
          + " (workflow " + workflowId + "); wait for it to finish, or cancel it");
      return 3;
    }
    String runId = WorkflowStub.fromTyped(workflow).getExecution().getRunId();
    if (!args.flag("wait")) {
      if (output.json()) {
        output.json(java.util.Map.of("workflowId", workflowId, "runId", runId));
      } else {
        output.line("started backup of cluster " + request.cluster() + ": workflow " + workflowId + " (run " + runId + ")");
      }
      return 0;
    }
    try {
      BackupRecord record = awaitWithProgress(workflow, output.json() ? null : ProgressLine.forStandardError(context.err()));
      if (output.json()) {
        output.json(record);
      } else {
        output.line("backup " + record.id() + " of cluster " + record.cluster() + " completed in "
            + Output.duration(record.durationMillis()) + ": " + record.totalFiles() + " files, "
            + Output.bytes(record.totalBytes()) + " read, " + Output.bytes(record.totalStoredBytes()) + " stored");
      }
      if (record.totalCorruptPages() > 0) {
        context.err().println("tidemark backup: WARNING: " + record.totalCorruptPages() + " data page(s) failed their"
            + " checksum while being copied; tidemark show --cluster " + record.cluster() + " --backup " + record.id()
            + " names them");
      }
      return 0;
    } catch (WorkflowFailedException e) {
      context.err().println("tidemark backup: " + FailureMessages.of(e));
      return 1;
    }
  }

  /** The request the options describe, checked; the message of a bad one names the option. */
  static BackupRequest request(Args args) {
    try {
      return new BackupRequest(args.require("cluster"), args.get("type"), args.integer("parallelism"),
          args.get("label"), args.get("checkpoint"), args.integer("wal-timeout"), args.integer("session-timeout"),
          args.get("manifest-checksum")).validated();
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage().replace("field '", "option '")
          .replace("'walArchiveTimeoutSeconds'", "'--wal-timeout'")
          .replace("'sessionTimeoutSeconds'", "'--session-timeout'")
          .replace("'manifestChecksum'", "'--manifest-checksum'"));
    }
  }

  /** Waits for the backup's record, drawing its progress (if {@code line} is not null) every second. */
  private static BackupRecord awaitWithProgress(ClusterBackupWorkflow workflow, ProgressLine line) {
    WorkflowStub stub = WorkflowStub.fromTyped(workflow);
    while (true) {
      try {
        BackupRecord record = stub.getResult(1, TimeUnit.SECONDS, BackupRecord.class);
        if (line != null) {
          line.end();
        }
        return record;
      } catch (TimeoutException stillRunning) {
        if (line != null) {
          try {
            line.show(ProgressSnapshots.of(workflow.progress()));
          } catch (WorkflowException notYet) {
            // not answering queries yet (its first task has not run): the next second will tell
          }
        }
      } catch (WorkflowFailedException e) {
        if (line != null) {
          line.end();
        }
        throw e;
      }
    }
  }
}
