package io.tidemark.workers.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.SchedulePolicy;
import io.temporal.client.schedules.ScheduleSpec;
import io.tidemark.workflows.TaskQueues;
import io.tidemark.workflows.WorkflowIds;
import io.tidemark.workflows.backup.ClusterBackupWorkflow;
import io.tidemark.workflows.json.StrictInputs;
import io.tidemark.workflows.retention.ClusterRetentionWorkflow;
import io.tidemark.workflows.schedule.ScheduledBackupWorkflow;
import io.tidemark.workflows.schedule.ScheduledRetentionWorkflow;
import java.util.List;
import java.util.Set;

/**
 * tidemark schedule: backs a cluster up on a cron schedule. A Temporal Schedule where the server
 * has them (overlaps skipped, visible and pausable in the UI); otherwise — the SDK's test server —
 * a cron workflow running ScheduledBackup, which skips a run that finds a backup running.
 */
public final class ScheduleCommand implements Command {

  @Override
  public String name() {
    return "schedule";
  }

  @Override
  public String summary() {
    return "back a cluster up on a cron schedule (a Temporal Schedule, or a cron workflow)";
  }

  @Override
  public String usage() {
    return "usage: tidemark schedule --cluster CLUSTER --cron 'MIN HOUR DAY MONTH WEEKDAY' [backup options]\n"
        + "       tidemark schedule --cluster CLUSTER --retention --cron '...' [--full N] [--recovery-window-days D]\n"
        + "       tidemark schedule --cluster CLUSTER [--retention] --delete\n\n"
        + "Makes schedule " + WorkflowIds.schedule("CLUSTER") + ": at every cron time (UTC) a ClusterBackup of the\n"
        + "cluster, with the options of tidemark backup (--parallelism, --label, --checkpoint, ...). A run that\n"
        + "finds a backup of the cluster running is skipped. On a server without the Schedules API (the SDK's\n"
        + "test server) the schedule is a cron workflow of type ScheduledBackup with the same id.\n"
        + "With --retention: schedule " + WorkflowIds.retentionSchedule("CLUSTER") + " runs ClusterRetention (as\n"
        + "tidemark expire does) instead; the cron workflow's type is ScheduledRetention.\n"
        + "--delete removes the schedule; a run it started goes on to its end.\n";
  }

  @Override
  public Set<String> options() {
    return Set.of("cluster", "cron", "type", "parallelism", "label", "checkpoint", "wal-timeout", "session-timeout",
        "manifest-checksum", "full", "recovery-window-days");
  }

  @Override
  public Set<String> flags() {
    return Set.of("delete", "retention");
  }

  /** What a schedule starts: a Schedule's action, or the cron workflow where the server has no Schedules. */
  private record Job(String what, String workflowType, String workflowId, Object argument, String cronType) {}

  @Override
  public int run(Args args, Context context) {
    String cluster = args.require("cluster");
    context.config().requireCluster(cluster);
    boolean retention = args.flag("retention");
    String id = retention ? WorkflowIds.retentionSchedule(cluster) : WorkflowIds.schedule(cluster);
    ScheduleClient schedules = ScheduleClient.newInstance(context.temporal().stubs(), ScheduleClientOptions.newBuilder()
        .setNamespace(context.config().temporal().namespace())
        .setDataConverter(StrictInputs.dataConverter())
        .build());
    if (args.flag("delete")) {
      return delete(schedules, id, context);
    }
    String cron = args.require("cron");
    Job job = retention
        ? new Job("a retention run", ClusterRetentionWorkflow.TYPE, WorkflowIds.retention(cluster),
            ExpireCommand.request(args), ScheduledRetentionWorkflow.TYPE)
        : new Job("a backup", ClusterBackupWorkflow.TYPE, WorkflowIds.backup(cluster), BackupCommand.request(args),
            ScheduledBackupWorkflow.TYPE);
    try {
      schedules.createSchedule(id, schedule(job, cron), ScheduleOptions.newBuilder().build());
      context.out().println("schedule " + id + ": " + job.what() + " of cluster " + cluster + " at '" + cron + "' (UTC),"
          + " overlapping runs skipped");
      return 0;
    } catch (RuntimeException e) {
      if (!hasStatus(e, Status.Code.UNIMPLEMENTED)) {
        throw new CliException("cannot make schedule " + id + ": " + FailureMessages.of(e));
      }
    }
    WorkflowStub workflow = context.client().newUntypedWorkflowStub(job.cronType(),
        WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TaskQueues.SHARED).setCronSchedule(cron).build());
    try {
      workflow.start(job.argument());
    } catch (WorkflowExecutionAlreadyStarted e) {
      throw new CliException("cluster " + cluster + " has a " + (retention ? "retention " : "") + "schedule already (" + id + "); delete it first:"
          + " tidemark schedule --cluster " + cluster + (retention ? " --retention" : "") + " --delete");
    } catch (RuntimeException e) {
      throw new CliException("cannot start the cron workflow " + id + " for '" + cron + "': " + FailureMessages.of(e)
          + "; a cron expression has five fields: minute hour day-of-month month day-of-week");
    }
    context.out().println("schedule " + id + ": the server has no Schedules API, so a cron workflow (type "
        + job.cronType() + ") runs " + job.what() + " of cluster " + cluster + " at '" + cron + "' (UTC)");
    return 0;
  }

  private static Schedule schedule(Job job, String cron) {
    return Schedule.newBuilder()
        .setAction(ScheduleActionStartWorkflow.newBuilder()
            .setWorkflowType(job.workflowType())
            .setArguments(job.argument())
            .setOptions(WorkflowOptions.newBuilder()
                .setWorkflowId(job.workflowId())
                .setTaskQueue(TaskQueues.SHARED)
                .build())
            .build())
        .setSpec(ScheduleSpec.newBuilder().setCronExpressions(List.of(cron)).build())
        .setPolicy(SchedulePolicy.newBuilder().setOverlap(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP).build())
        .build();
  }

  private static int delete(ScheduleClient schedules, String id, Context context) {
    try {
      schedules.getHandle(id).delete();
      context.out().println("schedule " + id + " deleted");
      return 0;
    } catch (RuntimeException e) {
      if (!hasStatus(e, Status.Code.UNIMPLEMENTED) && !hasStatus(e, Status.Code.NOT_FOUND)) {
        throw new CliException("cannot delete schedule " + id + ": " + FailureMessages.of(e));
      }
    }
    try {
      context.client().newUntypedWorkflowStub(id).terminate("tidemark schedule --delete");
    } catch (WorkflowNotFoundException e) {
      throw new CliException("there is no schedule " + id);
    }
    context.out().println("schedule " + id + " (cron workflow) deleted; a run it started goes on to its end");
    return 0;
  }

  /** Whether a gRPC status of {@code code} is among the causes: the server lacks the API, or the schedule. */
  private static boolean hasStatus(Throwable e, Status.Code code) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StatusRuntimeException s && s.getStatus().getCode() == code) {
        return true;
      }
    }
    return false;
  }
}
