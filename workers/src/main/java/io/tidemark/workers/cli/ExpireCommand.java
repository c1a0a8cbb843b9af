package io.tidemark.workers.cli;

import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.tidemark.workflows.TaskQueues;
import io.tidemark.workflows.WorkflowIds;
import io.tidemark.workflows.activities.RetentionActivities.ExpiredBackup;
import io.tidemark.workflows.activities.RetentionActivities.WalExpiry;
import io.tidemark.workflows.retention.ClusterRetentionWorkflow;
import io.tidemark.workflows.retention.RetentionRequest;
import io.tidemark.workflows.retention.RetentionResult;
import java.util.Set;

/** tidemark expire: applies a cluster's retention policy (runs the ClusterRetention workflow and waits). */
public final class ExpireCommand implements Command {

  @Override
  public String name() {
    return "expire";
  }

  @Override
  public String summary() {
    return "delete backups and WAL the retention policy lets go (the ClusterRetention workflow)";
  }

  @Override
  public String usage() {
    return "usage: tidemark expire --cluster CLUSTER [--full N] [--recovery-window-days D] [--dry-run]\n"
        + "                        [--output text|json]\n\n"
        + "Runs workflow ClusterRetention with id " + WorkflowIds.retention("CLUSTER") + " and waits for it. The policy is\n"
        + "the cluster's retention in the configuration, or --full (keep the newest N completed backups) and\n"
        + "--recovery-window-days (keep every backup needed to restore to any moment of the last D days).\n"
        + "Failed backups, and folders of backups that never recorded an end, go once a completed backup is\n"
        + "newer; archived WAL before the oldest kept backup goes on every node. A backup a running restore\n"
        + "reads is kept. --dry-run lists what would go and deletes nothing. Skipped (exit 3) while a backup of\n"
        + "the cluster runs: a backup of a cluster with a policy expires old ones itself when it completes.\n";
  }

  @Override
  public Set<String> options() {
    return Set.of("cluster", "full", "recovery-window-days", "output");
  }

  @Override
  public Set<String> flags() {
    return Set.of("dry-run");
  }

  @Override
  public int run(Args args, Context context) {
    Output output = context.output(args);
    RetentionRequest request = request(args);
    context.config().requireCluster(request.cluster());
    String workflowId = WorkflowIds.retention(request.cluster());
    ClusterRetentionWorkflow workflow = context.client().newWorkflowStub(ClusterRetentionWorkflow.class,
        WorkflowOptions.newBuilder()
            .setWorkflowId(workflowId)
            .setTaskQueue(TaskQueues.SHARED)
            .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
            .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL)
            .build());
    RetentionResult result;
    try {
      WorkflowClient.start(workflow::expire, request);
      result = WorkflowStub.fromTyped(workflow).getResult(RetentionResult.class);
    } catch (WorkflowExecutionAlreadyStarted e) {
      context.err().println("tidemark expire: a retention run of cluster " + request.cluster() + " is already running"
          + " (workflow " + workflowId + ")");
      return 3;
    } catch (WorkflowFailedException e) {
      context.err().println("tidemark expire: " + FailureMessages.of(e));
      return 1;
    }
    if (output.json()) {
      output.json(result);
    } else {
      print(result, output);
    }
    return result.skipped() != null ? 3 : 0;
  }

  private static void print(RetentionResult r, Output output) {
    if (r.skipped() != null) {
      output.line("retention of cluster " + r.cluster() + " skipped: " + r.skipped());
      return;
    }
    String verb = r.dryRun() ? "would expire" : "expired";
    output.line("retention of cluster " + r.cluster() + ": " + r.policy() + (r.dryRun() ? " (dry run: nothing deleted)" : ""));
    output.line("  kept " + r.kept().size() + " backup" + (r.kept().size() == 1 ? "" : "s")
        + (r.kept().isEmpty() ? "" : ": " + String.join(", ", r.kept())));
    for (ExpiredBackup b : r.expired()) {
      output.line("  " + verb + " backup " + b.backupId() + " (" + b.status() + "; " + b.reason() + "): " + b.objects()
          + " objects, " + Output.bytes(b.bytes()));
    }
    for (WalExpiry w : r.wal()) {
      output.line("  " + verb + " " + w.files() + " WAL files of node " + w.node() + " before " + w.keepFrom() + ": "
          + Output.bytes(w.bytes()));
    }
    output.line("  " + (r.dryRun() ? "would free " : "freed ") + Output.bytes(r.bytesFreed()) + " in "
        + r.objectsDeleted() + " objects");
  }

  static RetentionRequest request(Args args) {
    try {
      return new RetentionRequest(args.require("cluster"), args.integer("full"), args.integer("recovery-window-days"),
          args.flag("dry-run")).validated();
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage().replace("field '", "option '")
          .replace("'recoveryWindowDays'", "'--recovery-window-days'").replace("'full'", "'--full'"));
    }
  }
}
