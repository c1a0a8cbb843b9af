package io.tidemark.workers.it;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.tidemark.activities.config.ConfigLoader;
import io.tidemark.activities.config.TidemarkConfig;
import io.tidemark.activities.repository.Repositories;
import io.tidemark.activities.repository.Repository;
import io.tidemark.infra.ChildProcess;
import io.tidemark.infra.postgres.LocalPostgres;
import io.tidemark.infra.s3.LocalS3;
import io.tidemark.workers.temporal.TemporalConnection;
import io.tidemark.workers.temporal.WorkerProcess;
import io.tidemark.workflows.TaskQueues;
import io.tidemark.workflows.WorkflowIds;
import io.tidemark.workflows.backup.BackupRequest;
import io.tidemark.workflows.backup.ClusterBackupWorkflow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One end-to-end test's world: its configuration file (own Temporal namespace, own repository
 * prefix), the PostgreSQL nodes in it, and a worker serving it.
 */
final class TestSetup implements AutoCloseable {

  /** A node as the configuration names it. */
  record Node(String name, int port, Path dataDirectory, Path binDirectory, String password) {
    static Node of(String name, LocalPostgres pg) {
      return new Node(name, pg.port(), pg.dataDirectory(), pg.binDirectory(), null);
    }

    Node withPassword(String p) {
      return new Node(name, port, dataDirectory, binDirectory, p);
    }
  }

  final Services services;
  final String id;
  final Path configFile;
  private final Map<String, Map<String, Node>> clusters = new LinkedHashMap<>();
  private final Map<String, String> clusterSettings = new LinkedHashMap<>();
  private final List<ChildProcess> workerProcesses = new ArrayList<>();
  private String temporalAddress;
  private boolean disableSticky;
  private TidemarkConfig config;
  private Repository repository;
  private TemporalConnection temporal;
  private WorkerProcess worker;

  TestSetup(String name) throws IOException {
    this.services = Services.get();
    this.id = name + "-" + UUID.randomUUID().toString().substring(0, 8);
    this.configFile = services.directory.resolve(id + ".yaml");
    this.temporalAddress = services.temporal.target();
  }

  /**
   * Uses a Temporal server of its own (a separate process) with sticky workflow caching off, as
   * tests that kill workers must: the SDK's test server would leave a workflow on a dead worker's
   * sticky queue.
   */
  TestSetup temporalForCrashes(String address) throws IOException {
    temporalAddress = address;
    disableSticky = true;
    writeConfig();
    return this;
  }

  /** archive_command for a node of this setup: the real launcher with this setup's configuration. */
  String archiveCommand(String cluster, String node) {
    return Services.checkout().resolve("tidemark") + " --config " + configFile + " wal-push --cluster " + cluster
        + " --node " + node + " %p";
  }

  TestSetup node(String cluster, Node node) throws IOException {
    clusters.computeIfAbsent(cluster, c -> new LinkedHashMap<>()).put(node.name(), node);
    writeConfig();
    return this;
  }

  /** More settings of a cluster, as YAML lines indented for the cluster's level (four spaces). */
  TestSetup clusterSettings(String cluster, String yaml) throws IOException {
    clusterSettings.put(cluster, yaml);
    writeConfig();
    return this;
  }

  private void writeConfig() throws IOException {
    StringBuilder y = new StringBuilder();
    y.append("temporal:\n  address: ").append(temporalAddress).append("\n  namespace: ").append(id).append('\n');
    if (disableSticky) {
      y.append("  disableStickyExecution: true\n");
    }
    y.append("repository:\n  s3:\n    bucket: ").append(Services.BUCKET).append("\n    endpoint: ").append(services.s3.endpoint())
        .append("\n    prefix: ").append(id).append("\n    pathStyle: true\n    accessKeyId: ").append(LocalS3.ACCESS_KEY)
        .append("\n    secretAccessKey: ").append(LocalS3.SECRET_KEY).append("\n    partSizeMiB: 5\n");
    // Worker processes of a test share a host: each takes a free port for its metrics.
    y.append("worker:\n  metrics:\n    listen: 127.0.0.1:0\n");
    y.append("clusters:\n");
    clusters.forEach((cluster, nodes) -> {
      y.append("  ").append(cluster).append(":\n").append(clusterSettings.getOrDefault(cluster, "")).append("    nodes:\n");
      nodes.values().forEach(n -> {
        y.append("      - name: ").append(n.name()).append("\n        port: ").append(n.port())
            .append("\n        dataDirectory: ").append(n.dataDirectory()).append('\n');
        if (n.binDirectory() != null) {
          y.append("        binDirectory: ").append(n.binDirectory()).append('\n');
        }
        if (n.password() != null) {
          y.append("        password: ").append(n.password()).append('\n');
        }
      });
    });
    Files.writeString(configFile, y.toString());
    config = null;
  }

  TidemarkConfig config() {
    if (config == null) {
      config = new ConfigLoader(System::getenv).load(configFile);
    }
    return config;
  }

  Repository repository() {
    if (repository == null) {
      repository = Repositories.open(config().repository());
    }
    return repository;
  }

  WorkflowClient client() {
    if (temporal == null) {
      temporal = new TemporalConnection(config().temporal());
    }
    return temporal.client();
  }

  /** Starts a worker that serves everything in this setup's configuration. */
  TestSetup startWorker() {
    worker = new WorkerProcess(config(), repository(), client(), WorkerProcess.Roles.everything(config()),
        Services.checkout().resolve("tidemark") + " --config " + configFile).start();
    return this;
  }

  /**
   * Starts a worker as a process of its own, through the launcher, and waits until it polls.
   *
   * @param prefix words before the launcher (such as setpriv and its options), or none
   */
  ChildProcess startWorkerProcess(String name, List<String> prefix, String... workerArgs) throws Exception {
    return startWorkerProcess(name, prefix, Map.of(), workerArgs);
  }

  /** As above, with more environment variables (such as TIDEMARK_FAILPOINT). */
  ChildProcess startWorkerProcess(String name, List<String> prefix, Map<String, String> env, String... workerArgs)
      throws Exception {
    List<String> command = new ArrayList<>(List.of("env", "TIDEMARK_JAVA_OPTS=-Xmx256m -XX:TieredStopAtLevel=1"));
    env.forEach((k, v) -> command.add(k + "=" + v));
    command.addAll(prefix);
    command.addAll(List.of(Services.checkout().resolve("tidemark").toString(), "--config", configFile.toString(), "worker"));
    command.addAll(List.of(workerArgs));
    ChildProcess p = ChildProcess.start(name, command, services.directory.resolve(id + "-" + name + ".log"));
    workerProcesses.add(p);
    for (int i = 0; i < 600 && !Files.readString(p.log()).contains("worker polling"); i++) {
      p.checkAlive();
      Thread.sleep(100);
    }
    if (!Files.readString(p.log()).contains("worker polling")) {
      throw new IllegalStateException(name + " did not start polling: " + p.logTail(20));
    }
    return p;
  }

  ClusterBackupWorkflow backupStub(String cluster) {
    return client().newWorkflowStub(ClusterBackupWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(WorkflowIds.backup(cluster)).setTaskQueue(TaskQueues.SHARED).build());
  }

  /** Starts a backup by type name with one JSON-shaped argument, as the Temporal UI or another SDK does. */
  WorkflowStub startUntyped(String workflowId, Object input) {
    WorkflowStub stub = client().newUntypedWorkflowStub(ClusterBackupWorkflow.TYPE,
        WorkflowOptions.newBuilder().setWorkflowId(workflowId).setTaskQueue(TaskQueues.SHARED).build());
    stub.start(input);
    return stub;
  }

  static BackupRequest request(String cluster) {
    return new BackupRequest(cluster, null, 3, "it", null, 120, 20);
  }

  @Override
  public void close() {
    workerProcesses.forEach(ChildProcess::close);
    if (worker != null) {
      worker.close();
    }
    if (temporal != null) {
      temporal.close();
    }
    if (repository != null) {
      try {
        repository.close();
      } catch (IOException ignored) {
        // closing a client
      }
    }
  }
}
