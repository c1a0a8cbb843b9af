package io.tidemark.workers.cli;

import io.tidemark.workers.Launcher;
import io.tidemark.workers.temporal.WorkerProcess;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/** tidemark worker: polls task queues until stopped. */
public final class WorkerCommand implements Command {

  @Override
  public String name() {
    return "worker";
  }

  @Override
  public String summary() {
    return "run a worker: workflows, and the agent of the nodes on this host";
  }

  @Override
  public String usage() {
    return "usage: tidemark worker [--shared] [--node CLUSTER/NODE ...] [--max-activities N]\n\n"
        + "Polls Temporal task queues until stopped (SIGTERM or Ctrl-C):\n"
        + "  --shared            the shared queue 'tidemark': workflows and repository-only activities\n"
        + "  --node CLUSTER/NODE that node's queue: the agent, run on the node's host (repeatable)\n"
        + "  --max-activities N  node activities (transfers) run at once per node queue, 1-64 (default "
        + WorkerProcess.MAX_CONCURRENT_NODE_ACTIVITIES + ")\n"
        + "Without --shared or --node it does both, for every node in the configuration (one-host setups).\n"
        + "Run as many workers per queue as you like; they share the work.\n";
  }

  @Override
  public Set<String> options() {
    return Set.of("node", "max-activities");
  }

  @Override
  public Set<String> flags() {
    return Set.of("shared");
  }

  @Override
  public int run(Args args, Context context) throws Exception {
    Integer maxActivities = args.integer("max-activities");
    if (maxActivities != null && (maxActivities < 1 || maxActivities > 64)) {
      throw new CliException("option --max-activities takes 1 to 64, not " + maxActivities);
    }
    WorkerProcess.Roles roles = args.flag("shared") || !args.all("node").isEmpty()
        ? new WorkerProcess.Roles(args.flag("shared"), args.all("node"))
        : WorkerProcess.Roles.everything(context.config());
    if (maxActivities != null) {
      roles = roles.withMaxNodeActivities(maxActivities);
    }
    WorkerProcess worker = new WorkerProcess(context.config(), context.repository(), context.client(), roles,
        Launcher.command(context.configPath())).start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      worker.close();
      stopped.countDown();
    }));
    context.out().println("worker polling " + String.join(", ", worker.queues()) + " at "
        + context.config().temporal().address());
    context.out().flush();
    stopped.await();
    return 0;
  }
}
