package io.tidemark.workers.cli;

import io.temporal.client.WorkflowNotFoundException;
import io.tidemark.workflows.WorkflowIds;
import io.tidemark.workflows.backup.BackupProgress;
import io.tidemark.workflows.backup.ClusterBackupWorkflow;
import io.tidemark.workflows.restore.ClusterRestoreWorkflow;
import io.tidemark.workflows.restore.RestoreStatus;
import java.util.List;
import java.util.Set;

/** tidemark status: where a running backup or a cluster restore stands, node by node. */
public final class StatusCommand implements Command {

  @Override
  public String name() {
    return "status";
  }

  @Override
  public String summary() {
    return "show a backup's or a restore's progress, node by node";
  }

  @Override
  public String usage() {
    return "usage: tidemark status WORKFLOW_ID [--output text|json]\n\n"
        + "A backup (tidemark-backup-CLUSTER, the ClusterBackup progress query): its phase and each node's\n"
        + "phase, session, files and bytes sent of the total, rate and time left, and what crashes cost:\n"
        + "files reused from lost sessions and bytes sent again.\n"
        + "A restore (tidemark-restore-CLUSTER-TIME, the ClusterRestore status query): its phase and each\n"
        + "node's phase, attempt, batches and bytes fetched and last error. A node whose restore failed\n"
        + "waits: the output names the retry-node and abandon-node commands.\n";
  }

  @Override
  public Set<String> options() {
    return Set.of("output");
  }

  @Override
  public int run(Args args, Context context) {
    Output output = context.output(args);
    List<String> ids = args.positional();
    if (ids.size() != 1) {
      throw new CliException("give exactly one workflow id, such as tidemark-backup-main or "
          + "tidemark-restore-main-20261121-103000");
    }
    if (ids.get(0).startsWith(WorkflowIds.backup(""))) {
      BackupProgress progress = backupProgress(context, ids.get(0));
      if (output.json()) {
        output.json(progress);
      } else {
        BackupProgressText.print(progress, output);
      }
      return 0;
    }
    RestoreStatus status = query(context, ids.get(0));
    if (output.json()) {
      output.json(status);
    } else {
      RestoreStatusText.print(status, output);
    }
    return 0;
  }

  static BackupProgress backupProgress(Context context, String backupWorkflowId) {
    try {
      return context.client().newWorkflowStub(ClusterBackupWorkflow.class, backupWorkflowId).progress();
    } catch (WorkflowNotFoundException e) {
      throw new CliException("there is no backup workflow " + backupWorkflowId + " in namespace "
          + context.config().temporal().namespace() + "; a backup started by tidemark is tidemark-backup-CLUSTER");
    }
  }

  static RestoreStatus query(Context context, String restoreId) {
    try {
      return context.client().newWorkflowStub(ClusterRestoreWorkflow.class, restoreId).status();
    } catch (WorkflowNotFoundException e) {
      throw new CliException("there is no restore workflow " + restoreId + " in namespace "
          + context.config().temporal().namespace() + "; tidemark restore prints the id of the one it starts");
    }
  }
}
