package io.tidemark.workers.cli;

import io.tidemark.activities.config.ListenAddress;
import io.tidemark.activities.config.MetricsSettings;
import io.tidemark.workers.Launcher;
import io.tidemark.workers.metrics.ArchiveLag;
import io.tidemark.workers.metrics.WalPushTimes;
import io.tidemark.workers.metrics.WorkerMetrics;
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
    return "usage: tidemark worker [--shared] [--node CLUSTER/NODE ...] [--max-activities N] [--metrics-listen ADDR]\n\n"
        + "Polls Temporal task queues until stopped (SIGTERM or Ctrl-C):\n"
        + "  --shared            the shared queue 'tidemark': workflows and repository-only activities\n"
        + "  --node CLUSTER/NODE that node's queue: the agent, run on the node's host (repeatable)\n"
        + "  --max-activities N  node activities (transfers) run at once per node queue, 1-64 (default "
        + WorkerProcess.MAX_CONCURRENT_NODE_ACTIVITIES + ")\n"
        + "  --metrics-listen ADDR  the Prometheus endpoint: HOST:PORT, PORT (on 127.0.0.1) or off; overrides\n"
        + "                      worker.metrics in the configuration (default 127.0.0.1:9464; port 0: any free port)\n"
        + "Without --shared or --node it does both, for every node in the configuration (one-host setups).\n"
        + "Run as many workers per queue as you like; they share the work.\n";
  }

  @Override
  public Set<String> options() {
    return Set.of("node", "max-activities", "metrics-listen");
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
    ListenAddress listen = metricsAddress(args.get("metrics-listen"), context.config().worker().metrics());
    WorkerMetrics metrics = listen == null ? null : WorkerMetrics.serve(listen);
    if (metrics != null) {
      context.out().println("metrics at http://" + ListenAddress.of(metrics.address()) + "/metrics");
    }
    WorkerProcess worker = new WorkerProcess(context.config(), context.repository(),
        context.temporal(metrics == null ? null : metrics.temporalScope()).client(), roles,
        Launcher.command(context.configPath()), metrics == null ? null : metrics.registry()).start();
    ArchiveLag archiveLag = null;
    WalPushTimes walPushTimes = null;
    if (metrics != null) {
      archiveLag = new ArchiveLag(context.config(), roles.nodes(), metrics.registry());
      walPushTimes = new WalPushTimes(context.config(), roles.nodes(), metrics.prometheusRegistry());
      metrics.markReady();
    }
    ArchiveLag lag = archiveLag;
    WalPushTimes pushTimes = walPushTimes;
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      worker.close();
      if (metrics != null) {
        lag.close();
        pushTimes.close();
        metrics.close();
      }
      stopped.countDown();
    }));
    context.out().println("worker polling " + String.join(", ", worker.queues()) + " at "
        + context.config().temporal().address());
    context.out().flush();
    stopped.await();
    return 0;
  }

  /** Where to serve metrics: the option if given ("off" for nowhere), else the configuration; null for nowhere. */
  static ListenAddress metricsAddress(String option, MetricsSettings settings) {
    if (option != null) {
      if (option.equals("off")) {
        return null;
      }
      try {
        return ListenAddress.parse(option);
      } catch (IllegalArgumentException e) {
        throw new CliException("option --metrics-listen: " + e.getMessage());
      }
    }
    return settings.enabled() ? settings.address() : null;
  }
}
