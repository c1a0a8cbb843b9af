package io.tidemark.workers.quickstart;

import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.tidemark.activities.config.ConfigLoader;
import io.tidemark.activities.config.TidemarkConfig;
import io.tidemark.activities.repository.Repositories;
import io.tidemark.activities.repository.Repository;
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
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Comparator;

/**
 * The quickstart: every part real, all on this machine. A Temporal server, an S3 server and a
 * PostgreSQL cluster archiving its WAL through tidemark wal-push; a worker; a backup through the
 * ClusterBackup workflow while the demo database takes writes; then what tidemark show says.
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
        WorkerProcess worker = new WorkerProcess(config, repo, temporal.client(), WorkerProcess.Roles.everything(config))) {
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
      out.println();
      out.println("Done. Everything ran on 127.0.0.1 and has stopped; the S3 store and " + configFile.getFileName()
          + " stay in " + dir + ".");
      return shown;
    }
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
