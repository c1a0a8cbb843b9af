package io.tidemark.workers.cli;

import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.tidemark.workflows.TaskQueues;
import io.tidemark.workflows.WorkflowIds;
import io.tidemark.workflows.restore.ClusterRestoreWorkflow;
import io.tidemark.workflows.restore.NodeRestoreResult;
import io.tidemark.workflows.restore.NodeTarget;
import io.tidemark.workflows.restore.RecoveryTarget;
import io.tidemark.workflows.restore.RestoreRequest;
import io.tidemark.workflows.restore.RestoreResult;
import io.tidemark.workflows.restore.RestoreStatus;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** tidemark restore: starts a ClusterRestore workflow. */
public final class RestoreCommand implements Command {

  @Override
  public String name() {
    return "restore";
  }

  @Override
  public String summary() {
    return "restore a backup to a point in time (starts the ClusterRestore workflow)";
  }

  @Override
  public String usage() {
    return "usage: tidemark restore --cluster CLUSTER --to NODE:DIRECTORY:PORT[:TASK_QUEUE] ...\n"
        + "         [--backup ID|latest] [--target-time TIME | --target-xid XID | --target-lsn LSN |\n"
        + "          --target-name NAME | --target-immediate | --target-latest] [--exclusive]\n"
        + "         [--timeline latest|current|N] [--action pause|promote|shutdown] [--archive preserve|off]\n"
        + "         [--bin-directory DIR] [--set NAME=VALUE ...] [--parallelism N] [--no-start] [--wait]\n"
        + "         [--output text|json]\n\n"
        + "Restores every node of the backup (default: the latest completed one) into an empty or new\n"
        + "directory, starts PostgreSQL there and replays WAL to the target (default: the backup's cluster\n"
        + "restore point, one moment for every node). --to says where each node goes: 'pg1:/srv/restore/pg1:5433'. --set adds a\n"
        + "postgresql.auto.conf setting on every restored node. --archive off keeps a copy restored\n"
        + "beside its source from archiving into the source's archive. --no-start leaves the restored files,\n"
        + "backup_manifest and recovery settings in place without starting PostgreSQL (for pg_verifybackup,\n"
        + "or to start it by hand). With --wait it prints each node's outcome and exits 1 if the restore\n"
        + "failed, or 4 if a node failed and the restore waits for tidemark retry-node or abandon-node.\n";
  }

  @Override
  public Set<String> options() {
    return Set.of("cluster", "backup", "target-time", "target-xid", "target-lsn", "target-name", "timeline", "action",
        "archive", "to", "bin-directory", "set", "parallelism", "output");
  }

  @Override
  public Set<String> flags() {
    return Set.of("target-immediate", "target-latest", "exclusive", "no-start", "wait");
  }

  @Override
  public int run(Args args, Context context) {
    Output output = context.output(args);
    RestoreRequest request;
    try {
      request = new RestoreRequest(args.require("cluster"), args.get("backup"), target(args),
          args.flag("exclusive") ? Boolean.FALSE : null, args.get("timeline"), args.get("action"), args.get("archive"),
          args.integer("parallelism"), nodes(args), args.flag("no-start") ? Boolean.FALSE : null).validated();
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage().replace("field '", "option '"));
    }
    context.config().requireCluster(request.cluster());

    String workflowId = WorkflowIds.restore(request.cluster(),
        DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(ZonedDateTime.now(ZoneOffset.UTC)));
    ClusterRestoreWorkflow workflow = context.client().newWorkflowStub(ClusterRestoreWorkflow.class,
        WorkflowOptions.newBuilder()
            .setWorkflowId(workflowId)
            .setTaskQueue(TaskQueues.SHARED)
            .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL)
            .build());
    WorkflowClient.start(workflow::restore, request);
    if (!args.flag("wait")) {
      if (output.json()) {
        output.json(Map.of("workflowId", workflowId));
      } else {
        output.line("started restore of cluster " + request.cluster() + ": workflow " + workflowId);
      }
      return 0;
    }
    WorkflowStub stub = WorkflowStub.fromTyped(workflow);
    ProgressLine line = output.json() ? null : ProgressLine.forStandardError(context.err());
    try {
      RestoreResult result = null;
      while (result == null) {
        try {
          result = stub.getResult(1, TimeUnit.SECONDS, RestoreResult.class);
        } catch (TimeoutException stillRunning) {
          RestoreStatus status;
          try {
            status = workflow.progress();
          } catch (WorkflowException notYet) {
            continue; // not answering queries yet (its first task has not run)
          }
          if (line != null) {
            line.show(ProgressSnapshots.of(status));
          }
          if ("waiting".equals(status.phase())) {
            if (line != null) {
              line.end();
            }
            context.err().println("tidemark restore: a node failed; the restore waits for it to be retried or given up");
            RestoreStatusText.print(status, new Output(context.err(), Output.Format.TEXT));
            return 4;
          }
        }
      }
      if (line != null) {
        line.end();
      }
      if (output.json()) {
        output.json(result);
      } else {
        output.line("restored backup " + result.backupId() + " of cluster " + result.cluster() + " to "
            + RestoreStatusText.describe(result.target()) + " (" + workflowId + ")");
        for (NodeRestoreResult n : result.nodes()) {
          output.line("  node " + n.node() + " in " + n.dataDirectory() + " on port " + n.port() + ": " + n.state()
              + " at " + n.lsn() + " on timeline " + n.timeline()
              + (n.lastTransactionTime() == null ? "" : ", last transaction " + n.lastTransactionTime()));
        }
        if (result.afterRestore() != null) {
          output.line("  afterRestore: " + result.afterRestore());
        }
      }
      return 0;
    } catch (WorkflowFailedException e) {
      if (line != null) {
        line.end();
      }
      context.err().println("tidemark restore: " + FailureMessages.of(e));
      return 1;
    }
  }

  private static RecoveryTarget target(Args args) {
    Boolean immediate = args.flag("target-immediate") ? Boolean.TRUE : null;
    Boolean latest = args.flag("target-latest") ? Boolean.TRUE : null;
    RecoveryTarget t = new RecoveryTarget(immediate, latest, args.get("target-time"), args.get("target-xid"),
        args.get("target-lsn"), args.get("target-name"));
    boolean any = immediate != null || latest != null || t.time() != null || t.xid() != null || t.lsn() != null
        || t.name() != null;
    return any ? t : null;
  }

  private static List<NodeTarget> nodes(Args args) {
    Map<String, String> settings = new LinkedHashMap<>();
    for (String s : args.all("set")) {
      int eq = s.indexOf('=');
      if (eq <= 0) {
        throw new CliException("--set takes NAME=VALUE, not '" + s + "'");
      }
      settings.put(s.substring(0, eq).trim(), s.substring(eq + 1));
    }
    List<NodeTarget> nodes = new ArrayList<>();
    for (String to : args.all("to")) {
      String[] parts = to.split(":", 4);
      if (parts.length < 3) {
        throw new CliException("--to takes NODE:DIRECTORY:PORT[:TASK_QUEUE], not '" + to + "'");
      }
      int port;
      try {
        port = Integer.parseInt(parts[2]);
      } catch (NumberFormatException e) {
        throw new CliException("--to '" + to + "': the port must be a number");
      }
      nodes.add(new NodeTarget(parts[0], parts[1], port, parts.length > 3 ? parts[3] : null, args.get("bin-directory"),
          settings));
    }
    return nodes;
  }
}
