package io.tidemark.workers.cli;

import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowUpdateException;
import io.tidemark.workflows.restore.AbandonNodeRequest;
import io.tidemark.workflows.restore.ClusterRestoreWorkflow;
import io.tidemark.workflows.restore.NodeStatus;
import java.util.Set;

/** tidemark abandon-node: gives up on a failed node of a cluster restore (the abandonNode update). */
public final class AbandonNodeCommand implements Command {

  @Override
  public String name() {
    return "abandon-node";
  }

  @Override
  public String summary() {
    return "give up on a failed node; the restore then fails naming it (abandonNode update)";
  }

  @Override
  public String usage() {
    return "usage: tidemark abandon-node --restore RESTORE_WORKFLOW_ID --node NODE [--reason TEXT] [--output text|json]\n\n"
        + "Ends a failed node's restore for good. Once the other nodes are done, the cluster restore fails,\n"
        + "naming the nodes given up on and why. Refused, changing nothing, unless the node has failed.\n";
  }

  @Override
  public Set<String> options() {
    return Set.of("restore", "node", "reason", "output");
  }

  @Override
  public int run(Args args, Context context) {
    Output output = context.output(args);
    String restoreId = args.require("restore");
    NodeStatus node;
    try {
      node = context.client().newWorkflowStub(ClusterRestoreWorkflow.class, restoreId)
          .abandonNode(new AbandonNodeRequest(args.require("node"), args.get("reason")));
    } catch (WorkflowNotFoundException e) {
      throw new CliException("there is no running restore workflow " + restoreId);
    } catch (WorkflowUpdateException e) {
      context.err().println("tidemark abandon-node: refused: " + FailureMessages.of(e));
      return 1;
    }
    if (output.json()) {
      output.json(node);
    } else {
      output.line("node " + node.node() + " abandoned: " + node.error());
    }
    return 0;
  }
}
