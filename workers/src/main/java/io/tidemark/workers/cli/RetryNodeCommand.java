package io.tidemark.workers.cli;

import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowUpdateException;
import io.tidemark.workflows.restore.ClusterRestoreWorkflow;
import io.tidemark.workflows.restore.NodeStatus;
import io.tidemark.workflows.restore.RetryNodeRequest;
import java.util.Set;

/** tidemark retry-node: restores one failed node of a cluster restore again (the retryNode update). */
public final class RetryNodeCommand implements Command {

  @Override
  public String name() {
    return "retry-node";
  }

  @Override
  public String summary() {
    return "restore a failed node again, alone (the ClusterRestore retryNode update)";
  }

  @Override
  public String usage() {
    return "usage: tidemark retry-node --restore RESTORE_WORKFLOW_ID --node NODE [--data-directory DIR] [--port N]\n"
        + "                            [--task-queue QUEUE] [--output text|json]\n\n"
        + "Starts the failed node's restore again; the other nodes are left as they are. Without options it\n"
        + "goes where it went before: a directory this restore already wrote to is continued, or emptied\n"
        + "first if PostgreSQL had been started on it. Refused, changing nothing, unless the node has failed.\n";
  }

  @Override
  public Set<String> options() {
    return Set.of("restore", "node", "data-directory", "port", "task-queue", "output");
  }

  @Override
  public int run(Args args, Context context) {
    Output output = context.output(args);
    String restoreId = args.require("restore");
    RetryNodeRequest request = new RetryNodeRequest(args.require("node"), args.get("data-directory"),
        args.integer("port"), args.get("task-queue"));
    NodeStatus started;
    try {
      started = context.client().newWorkflowStub(ClusterRestoreWorkflow.class, restoreId).retryNode(request);
    } catch (WorkflowNotFoundException e) {
      throw new CliException("there is no running restore workflow " + restoreId);
    } catch (WorkflowUpdateException e) {
      context.err().println("tidemark retry-node: refused: " + FailureMessages.of(e));
      return 1;
    }
    if (output.json()) {
      output.json(started);
    } else {
      output.line("node " + started.node() + ": attempt " + started.attempt() + " started into " + started.dataDirectory()
          + " on port " + started.port() + " (workflow " + started.workflowId() + "); follow it with tidemark status "
          + restoreId);
    }
    return 0;
  }
}
