package io.tidemark.workers.cli;

import io.temporal.client.WorkflowNotFoundException;
import io.tidemark.workflows.restore.ClusterRestoreWorkflow;
import io.tidemark.workflows.restore.RestoreStatus;
import java.util.List;
import java.util.Set;

/** tidemark status: where a cluster restore stands, node by node. */
public final class StatusCommand implements Command {

  @Override
  public String name() {
    return "status";
  }

  @Override
  public String summary() {
    return "show a restore's progress, node by node (the ClusterRestore status query)";
  }

  @Override
  public String usage() {
    return "usage: tidemark status RESTORE_WORKFLOW_ID [--output text|json]\n\n"
        + "Prints the restore's phase and each node's phase, attempt, batches and bytes fetched and last\n"
        + "error. A node whose restore failed waits: the output names the retry-node and abandon-node\n"
        + "commands. The id is the one tidemark restore printed (tidemark-restore-CLUSTER-TIME).\n";
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
      throw new CliException("give exactly one restore workflow id, such as tidemark-restore-main-20261121-103000");
    }
    RestoreStatus status = query(context, ids.get(0));
    if (output.json()) {
      output.json(status);
    } else {
      RestoreStatusText.print(status, output);
    }
    return 0;
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
