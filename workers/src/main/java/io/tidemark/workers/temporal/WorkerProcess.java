package io.tidemark.workers.temporal;

import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.common.interceptors.WorkerInterceptor;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import io.tidemark.activities.backup.BackupCatalog;
import io.tidemark.activities.backup.ClusterActivitiesImpl;
import io.tidemark.activities.retention.RetentionActivitiesImpl;
import io.tidemark.activities.backup.NodeBackupActivitiesImpl;
import io.tidemark.activities.backup.SessionActivitiesImpl;
import io.tidemark.activities.cluster.CoordinatorActivitiesImpl;
import io.tidemark.activities.config.NodeSettings;
import io.tidemark.activities.config.TidemarkConfig;
import io.tidemark.activities.metrics.NewestBackupSeed;
import io.tidemark.activities.metrics.TransferMetrics;
import io.tidemark.activities.postgres.SessionRegistry;
import io.tidemark.activities.repository.Repository;
import io.tidemark.activities.restore.NodeRestoreActivitiesImpl;
import io.tidemark.activities.runtime.Failpoints;
import io.tidemark.workers.metrics.ActivityFailureInterceptor;
import io.tidemark.workflows.TaskQueues;
import io.tidemark.workflows.json.StrictInputs;
import io.tidemark.workflows.retention.ClusterRetentionWorkflowImpl;
import io.tidemark.workflows.schedule.ScheduledBackupWorkflowImpl;
import io.tidemark.workflows.schedule.ScheduledRetentionWorkflowImpl;
import io.tidemark.workflows.backup.ClusterBackupWorkflowImpl;
import io.tidemark.workflows.backup.NodeBackupWorkflowImpl;
import io.tidemark.workflows.backup.SendFilesWindowWorkflowImpl;
import io.tidemark.workflows.restore.ClusterRestoreWorkflowImpl;
import io.tidemark.workflows.restore.FetchFilesWindowWorkflowImpl;
import io.tidemark.workflows.restore.NodeRestoreWorkflowImpl;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Tidemark worker process. It polls, as asked: the shared queue (workflows and repository-only
 * activities), the queues of the nodes whose agent it is, and, whenever it is an agent, its own
 * session queue. One process may do everything (the quickstart); many may share each queue.
 */
public final class WorkerProcess implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WorkerProcess.class);
  /** Concurrent transfers per node queue: each holds a part buffer (16 MiB by default) on the heap. */
  public static final int MAX_CONCURRENT_NODE_ACTIVITIES = 8;
  static final Duration HEARTBEAT_THROTTLE = Duration.ofSeconds(5);

  /**
   * What this process serves: the shared queue, and the agents of which nodes.
   *
   * @param maxNodeActivities node activities (transfers) this process runs at once, per node queue:
   *     an agent on a busy database host may want fewer
   */
  public record Roles(boolean shared, List<String> nodes, int maxNodeActivities) {
    public Roles(boolean shared, List<String> nodes) {
      this(shared, nodes, MAX_CONCURRENT_NODE_ACTIVITIES);
    }

    public static Roles everything(TidemarkConfig config) {
      List<String> nodes = new ArrayList<>();
      config.clusters().forEach((cluster, settings) -> settings.nodes().forEach(n -> nodes.add(cluster + "/" + n.name())));
      return new Roles(true, nodes);
    }

    public Roles withMaxNodeActivities(int max) {
      return new Roles(shared, nodes, max);
    }
  }

  private final WorkerFactory factory;
  private final SessionRegistry sessions;
  private final List<String> queues = new ArrayList<>();
  /** Shared workers with metrics: the gauge of the newest completed backup, learnt as they start. */
  private final NewestBackupSeed newestBackups;

  /**
   * @param tidemarkCommand how PostgreSQL on this host runs tidemark (for restore_command),
   *     --config included
   */
  public WorkerProcess(TidemarkConfig config, Repository repo, WorkflowClient client, Roles roles, String tidemarkCommand) {
    this(config, repo, client, roles, tidemarkCommand, null);
  }

  /**
   * @param metrics where Tidemark's counters go (the SDK's go through the client's scope), or null
   *     for nowhere
   */
  public WorkerProcess(TidemarkConfig config, Repository repo, WorkflowClient client, Roles roles, String tidemarkCommand,
      MeterRegistry metrics) {
    List<WorkerInterceptor> interceptors = new ArrayList<>();
    if (Failpoints.armed()) {
      interceptors.add(new FailpointInterceptor());
    }
    TransferMetrics transfers = TransferMetrics.none();
    if (metrics != null) {
      interceptors.add(new ActivityFailureInterceptor(metrics));
      transfers = new TransferMetrics(metrics, TransferMetrics.repositoryKind(config.repository()));
    }
    WorkerFactoryOptions.Builder factoryOptions = WorkerFactoryOptions.newBuilder()
        .setWorkerInterceptors(interceptors.toArray(WorkerInterceptor[]::new));
    this.factory = WorkerFactory.newInstance(client, factoryOptions.build());
    this.sessions = new SessionRegistry(Duration.ofHours(config.worker().sessionMaxAgeHours()), Duration.ofMinutes(10),
        Clock.systemUTC());
    boolean sticky = !config.temporal().disableStickyExecution();

    if (roles.shared()) {
      WorkerOptions.Builder options = WorkerOptions.newBuilder();
      if (!sticky) {
        options.setStickyQueueScheduleToStartTimeout(Duration.ZERO);
      }
      Worker shared = factory.newWorker(TaskQueues.SHARED, options.build());
      shared.registerWorkflowImplementationTypes(StrictInputs.implementationOptions(),
          ClusterBackupWorkflowImpl.class, NodeBackupWorkflowImpl.class,
          SendFilesWindowWorkflowImpl.class, ClusterRestoreWorkflowImpl.class, NodeRestoreWorkflowImpl.class,
          FetchFilesWindowWorkflowImpl.class, ScheduledBackupWorkflowImpl.class, ClusterRetentionWorkflowImpl.class,
          ScheduledRetentionWorkflowImpl.class);
      TemporalWorkflowLiveness server = new TemporalWorkflowLiveness(client);
      shared.registerActivitiesImplementations(new ClusterActivitiesImpl(config, repo, server, server, transfers),
          new RetentionActivitiesImpl(config, repo, server));
      queues.add(TaskQueues.SHARED);
    }
    // Where CommitBackup runs, the gauge it moves is also learnt from the repository at start.
    this.newestBackups = roles.shared() && metrics != null ? new NewestBackupSeed(new BackupCatalog(repo),
        repo.describe(), List.copyOf(config.clusters().keySet()), transfers) : null;
    if (!roles.nodes().isEmpty()) {
      NodeBackupActivitiesImpl backups = new NodeBackupActivitiesImpl(config, repo, sessions, transfers);
      NodeRestoreActivitiesImpl restores = new NodeRestoreActivitiesImpl(config, repo, tidemarkCommand, transfers);
      CoordinatorActivitiesImpl coordinator = new CoordinatorActivitiesImpl(config);
      WorkerOptions nodeOptions = WorkerOptions.newBuilder()
          .setMaxConcurrentActivityExecutionSize(roles.maxNodeActivities())
          // Heartbeats carry resume points out and cancellations in: send them at least this often.
          .setMaxHeartbeatThrottleInterval(HEARTBEAT_THROTTLE)
          .build();
      for (String queue : nodeQueues(config, roles.nodes())) {
        factory.newWorker(queue, nodeOptions).registerActivitiesImplementations(backups, restores, coordinator);
        queues.add(queue);
      }
      factory.newWorker(sessions.queue()).registerActivitiesImplementations(new SessionActivitiesImpl(sessions, repo));
      queues.add(sessions.queue());
    }
  }

  /** The distinct queues of the named nodes ("cluster/node"). */
  private static Set<String> nodeQueues(TidemarkConfig config, List<String> nodes) {
    Set<String> queues = new LinkedHashSet<>();
    for (String ref : nodes) {
      int slash = ref.indexOf('/');
      if (slash <= 0) {
        throw new IllegalArgumentException("a node is named CLUSTER/NODE, not '" + ref + "'");
      }
      NodeSettings node = config.requireNode(ref.substring(0, slash), ref.substring(slash + 1));
      queues.add(node.taskQueue());
    }
    return queues;
  }

  public List<String> queues() {
    return queues;
  }

  public String sessionQueue() {
    return sessions.queue();
  }

  public WorkerProcess start() {
    if (newestBackups != null) {
      newestBackups.start();
    }
    factory.start();
    log.info("polling task queues {}", queues);
    return this;
  }

  /** Stops polling, lets running activities finish for a while, then ends the backup sessions it holds. */
  @Override
  public void close() {
    factory.shutdown();
    factory.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
    factory.shutdownNow();
    sessions.close();
    if (newestBackups != null) {
      newestBackups.close();
    }
  }
}
