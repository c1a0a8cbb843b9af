package io.tidemark.workers.quickstart;

import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.tidemark.activities.config.ConfigLoader;
import io.tidemark.activities.config.TidemarkConfig;
import io.tidemark.activities.postgres.PgCtl;
import io.tidemark.activities.repository.Repositories;
import io.tidemark.activities.repository.Repository;
import io.tidemark.activities.repository.RepositoryLayout;
import io.tidemark.infra.postgres.LocalPostgres;
import io.tidemark.infra.s3.LocalS3;
import io.tidemark.infra.temporal.LocalTemporal;
import io.tidemark.workers.Launcher;
import io.tidemark.workers.Main;
import io.tidemark.workers.cli.Output;
import io.tidemark.workers.temporal.TemporalConnection;
import io.tidemark.workers.temporal.WorkerProcess;
import io.tidemark.workflows.TaskQueues;
import io.tidemark.workflows.WorkflowIds;
import io.tidemark.workflows.backup.BackupRequest;
import io.tidemark.workflows.backup.ClusterBackupWorkflow;
import io.tidemark.workflows.model.BackupRecord;
import io.tidemark.workflows.restore.ClusterRestoreWorkflow;
import io.tidemark.workflows.restore.NodeRestoreResult;
import io.tidemark.workflows.restore.NodeTarget;
import io.tidemark.workflows.restore.RecoveryTarget;
import io.tidemark.workflows.restore.RestoreRequest;
import io.tidemark.workflows.restore.RestoreResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The quickstart: every part real, all on this machine. A Temporal server, an S3 server and a
 * PostgreSQL cluster archiving its WAL through tidemark wal-push; a worker; a backup through the
 * ClusterBackup workflow while the demo database takes writes; what tidemark show says; then a
 * restore of that backup to a point in time through ClusterRestore, checked row for row.
 */
public final class Quickstart {

  static final String CLUSTER = "demo";
  static final String NODE = "pg1";
  static final String BUCKET = "tidemark";

  private final Path dir;
  private final Path binDirectory;
  private final int major;
  private final PrintStream out;

  public Quickstart(Path dir, Path binDirectory, int major, PrintStream out) {
    this.dir = dir;
    this.binDirectory = binDirectory;
    this.major = major;
    this.out = out;
  }

  public int run() throws Exception {
    reset(dir);
    Path config = dir.resolve("tidemark.yaml");
    step("starting a local Temporal server");
    try (LocalTemporal temporal = LocalTemporal.start(0)) {
      say("Temporal test server on " + temporal.target());
      step("starting a local S3 server (S3Mock)");
      try (LocalS3 s3 = LocalS3.start(dir.resolve("s3"), BUCKET, 0, dir.resolve("s3.log"))) {
        say("S3 endpoint " + s3.endpoint() + ", bucket " + BUCKET + ", objects stored under " + dir.resolve("s3"));
        step("creating a PostgreSQL " + major + " cluster that archives WAL with tidemark wal-push");
        String archive = Launcher.command(config) + " wal-push --cluster " + CLUSTER + " --node " + NODE + " %p";
        try (LocalPostgres pg = LocalPostgres.start(binDirectory, major,
            LocalPostgres.Options.defaults().withArchiveCommand(archive))) {
          Files.writeString(config, configuration(temporal, s3, pg));
          say("data directory " + pg.dataDirectory() + ", port " + pg.port());
          say("configuration written to " + config);
          DemoDatabase demo = new DemoDatabase(pg);
          demo.create();
          say("demo database: " + demo.describe());
          return backUp(config, pg, demo);
        }
      }
    }
  }

  private int backUp(Path configFile, LocalPostgres pg, DemoDatabase demo) throws Exception {
    TidemarkConfig config = ConfigLoader.fromSystemEnvironment().load(configFile);
    try (Repository repo = Repositories.open(config.repository());
        TemporalConnection temporal = new TemporalConnection(config.temporal());
        WorkerProcess worker = new WorkerProcess(config, repo, temporal.client(), WorkerProcess.Roles.everything(config),
            Launcher.command(configFile))) {
      step("starting a worker");
      worker.start();
      say("polling " + String.join(", ", worker.queues()));

      step("backing up cluster '" + CLUSTER + "' through the ClusterBackup workflow, while the database takes writes");
      ClusterBackupWorkflow workflow = temporal.client().newWorkflowStub(ClusterBackupWorkflow.class,
          WorkflowOptions.newBuilder()
              .setWorkflowId(WorkflowIds.backup(CLUSTER))
              .setTaskQueue(TaskQueues.SHARED)
              .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL)
              .build());
      BackupRecord record;
      try (DemoDatabase.Writer writes = demo.startWriting()) {
        WorkflowClient.start(workflow::backup, new BackupRequest(CLUSTER, "full", 4, "quickstart", "fast", 120, null));
        record = io.temporal.client.WorkflowStub.fromTyped(workflow).getResult(BackupRecord.class);
        say("rows written during the backup: " + writes.stop());
      }
      say("backup " + record.id() + " " + record.status() + " in " + Output.duration(record.durationMillis()) + ": "
          + record.totalFiles() + " files, " + Output.bytes(record.totalBytes()) + " read, "
          + Output.bytes(record.totalStoredBytes()) + " stored in s3://" + BUCKET + "/" + CLUSTER + "/backups/" + record.id() + "/");

      step("tidemark show --cluster " + CLUSTER);
      int shown = Main.run(new String[] {"--config", configFile.toString(), "show", "--cluster", CLUSTER}, out, System.err);
      if (shown != 0) {
        return shown;
      }
      int restored = restoreToAPointInTime(temporal, repo, pg, demo, record);
      out.println();
      out.println("Done. Everything ran on 127.0.0.1 and has stopped; the S3 store and " + configFile.getFileName()
          + " stay in " + dir + ".");
      return restored;
    }
  }

  /**
   * More transfers, a moment marked, more transfers; then the backup is restored to that moment
   * into a new directory, and the restored bank must hold exactly the transfers made before it.
   */
  private int restoreToAPointInTime(TemporalConnection temporal, Repository repo, LocalPostgres pg, DemoDatabase demo,
      BackupRecord backup) throws Exception {
    step("more transfers, then a moment to restore to, then more transfers");
    DemoDatabase.State atTarget;
    String target;
    try (DemoDatabase.Writer writes = demo.startWriting()) {
      Thread.sleep(1500);
      writes.stop();
      atTarget = demo.state();
      target = demo.now();
    }
    try (DemoDatabase.Writer writes = demo.startWriting()) {
      Thread.sleep(1500);
      writes.stop();
    }
    DemoDatabase.State later = demo.state();
    String lastSegment = demo.switchWal();
    say("at " + target + " the bank had " + atTarget.transfers() + " transfers; now it has " + later.transfers());
    awaitArchived(repo, lastSegment);

    Path restoreDir = dir.resolve("restore");
    int port = io.tidemark.infra.FreePorts.loopback();
    step("tidemark restore --cluster " + CLUSTER + " --backup " + backup.id() + " --target-time '" + target + "'"
        + " --action promote --archive off --to " + NODE + ":" + restoreDir + ":" + port);
    ClusterRestoreWorkflow restore = temporal.client().newWorkflowStub(ClusterRestoreWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(WorkflowIds.restore(CLUSTER, "quickstart"))
            .setTaskQueue(TaskQueues.SHARED).build());
    RestoreResult result = restore.restore(new RestoreRequest(CLUSTER, backup.id(), RecoveryTarget.atTime(target), null,
        null, "promote", "off", null, List.of(NodeTarget.of(NODE, restoreDir.toString(), port)
            .withSettings(Map.of("unix_socket_directories", "")))));
    NodeRestoreResult node = result.nodes().get(0);
    say("restored " + node.files() + " files (" + Output.bytes(node.bytes()) + ") into " + restoreDir + "; PostgreSQL "
        + node.state() + " at " + node.lsn() + " on timeline " + node.timeline() + ", port " + port);

    step("checking the restored bank");
    PgCtl restored = new PgCtl(pg.binDirectory(), "pg_ctl", restoreDir);
    try (Connection c = java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres",
        "postgres", "")) {
      DemoDatabase.State state = DemoDatabase.state(c);
      boolean right = state.equals(atTarget);
      say("transfers: " + state.transfers() + " (expected " + atTarget.transfers() + "), money: " + state.money()
          + " (expected " + atTarget.money() + ")  " + (right ? "OK" : "WRONG"));
      return right ? 0 : 1;
    } finally {
      restored.stop();
      say("stopped the restored server");
    }
  }

  private void awaitArchived(Repository repo, String segment) throws Exception {
    String key = RepositoryLayout.walObject(CLUSTER, NODE, segment);
    for (int i = 0; i < 600 && !repo.exists(key); i++) {
      Thread.sleep(100);
    }
    say("WAL up to " + segment + " is archived");
  }

  private static String configuration(LocalTemporal temporal, LocalS3 s3, LocalPostgres pg) {
    return "# Written by tidemark quickstart.\n"
        + "temporal:\n"
        + "  address: " + temporal.target() + "\n"
        + "repository:\n"
        + "  s3:\n"
        + "    bucket: " + BUCKET + "\n"
        + "    endpoint: " + s3.endpoint() + "\n"
        + "    region: us-east-1\n"
        + "    pathStyle: true\n"
        + "    accessKeyId: " + LocalS3.ACCESS_KEY + "\n"
        + "    secretAccessKey: " + LocalS3.SECRET_KEY + "\n"
        + "clusters:\n"
        + "  " + CLUSTER + ":\n"
        + "    nodes:\n"
        + "      - name: " + NODE + "\n"
        + "        host: 127.0.0.1\n"
        + "        port: " + pg.port() + "\n"
        + "        user: postgres\n"
        + "        dataDirectory: " + pg.dataDirectory() + "\n"
        + "        binDirectory: " + pg.binDirectory() + "\n";
  }

  /** Empties the directory (it may be someone's working directory: it stays). */
  private static void reset(Path dir) throws IOException {
    Files.createDirectories(dir);
    try (var paths = Files.walk(dir)) {
      paths.filter(p -> !p.equals(dir)).sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private void step(String text) {
    out.println();
    out.println("==> " + text);
    out.flush();
  }

  private void say(String text) {
    out.println("    " + text);
    out.flush();
  }

  static void execute(Connection c, String sql) throws Exception {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }
}
