package io.tidemark.workers.it;

import static io.tidemark.workers.it.CrashIT.checksum;
import static io.tidemark.workers.it.CrashIT.fill;
import static io.tidemark.workers.it.CrashIT.startTemporal;
import static io.tidemark.workers.it.RestoreEndToEndIT.contents;
import static io.tidemark.workers.it.RestoreEndToEndIT.insert;
import static io.tidemark.workers.it.RestoreEndToEndIT.query;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.tidemark.activities.postgres.PgCtl;
import io.tidemark.infra.ChildProcess;
import io.tidemark.infra.FreePorts;
import io.tidemark.infra.postgres.LocalPostgres;
import io.tidemark.workflows.TaskQueues;
import io.tidemark.workflows.WorkflowIds;
import io.tidemark.workflows.backup.BackupProgress;
import io.tidemark.workflows.backup.ClusterBackupWorkflow;
import io.tidemark.workflows.backup.NodeBackupProgress;
import io.tidemark.workflows.model.BackupRecord;
import io.tidemark.workflows.model.NodeBackupRecord;
import io.tidemark.workflows.model.Reuse;
import io.tidemark.workflows.restore.ClusterRestoreWorkflow;
import io.tidemark.workflows.restore.NodeTarget;
import io.tidemark.workflows.restore.RecoveryTarget;
import io.tidemark.workflows.restore.RestoreRequest;
import io.tidemark.workflows.restore.RestoreResult;
import io.tidemark.workflows.restore.RestoreStatus;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The randomized crash run, a separate command (not part of the test suite, see the README):
 * {@code -Dtrials=N -Dseed=S}. Each trial backs up a node under writes while worker processes are
 * killed with SIGKILL at random moments (one or two kills), restores it to a point after the
 * backup while another worker is killed at a random moment, and compares the restored rows with
 * the source's. A moment is drawn as a phase and, while files are sent or fetched, a fraction of
 * the node's bytes or batches; the trial watches the progress query and kills the worker as soon
 * as the workflow gets there. The seed is printed; the same seed draws the same moments.
 */
class CrashTrials {

  static final String CLUSTER = "trials";

  @TempDir
  Path tmp;

  record Trial(int number, int kills, List<String> hits, int session, Reuse reuse, long bytes, boolean restored,
      String error) {}

  @Test
  void randomKillsNeverCostABackupOrARestore() throws Exception {
    int trials = Integer.getInteger("trials", 3);
    long seed = Long.getLong("seed", System.nanoTime() % 100_000);
    System.out.printf("crash trials: %d trials, seed %d (rerun with -Dseed=%d)%n", trials, seed, seed);
    Random random = new Random(seed);
    List<Trial> results = new ArrayList<>();
    try (TestSetup setup = new TestSetup("trials");
        ChildProcess temporal = startTemporal(setup);
        LocalPostgres pg = LocalPostgres.start(CrashIT.MAJOR,
            LocalPostgres.Options.defaults().withArchiveCommand(setup.archiveCommand(CLUSTER, "n1")));
        Connection c = pg.connect()) {
      setup.node(CLUSTER, TestSetup.Node.of("n1", pg));
      fill(c);
      for (int t = 1; t <= trials; t++) {
        Trial trial = runTrial(setup, pg, c, t, random);
        results.add(trial);
        System.out.printf("trial %d: %d kill(s) %s; made by session %d, %d files reused (%d bytes), %d bytes sent "
                + "again; restore %s%s%n", t, trial.kills(), trial.hits(), trial.session(), trial.reuse().reusedFiles(),
            trial.reuse().reusedBytes(), trial.reuse().resentBytes(), trial.restored() ? "verified" : "NOT verified",
            trial.error() == null ? "" : " (" + trial.error() + ")");
      }
    }
    report(seed, results);
    assertEquals(trials, results.stream().filter(Trial::restored).count(), "every trial's backup restored exactly");
  }

  private Trial runTrial(TestSetup setup, LocalPostgres pg, Connection c, int t, Random random) throws Exception {
    AtomicBoolean writing = new AtomicBoolean(true);
    Thread writer = new Thread(() -> {
      try (Connection w = pg.connect()) {
        while (writing.get()) {
          insert(w, "trial-" + t, 5);
          Thread.sleep(50);
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    int kills = 1 + random.nextInt(2);
    List<Moment> backupMoments = List.of(Moment.backup(random), Moment.backup(random));
    Moment restoreMoment = Moment.restore(random);
    int workers = 0;
    ChildProcess worker = worker(setup, t, ++workers);
    BackupRecord backup;
    int killed = 0;
    List<String> hits = new ArrayList<>();
    writer.start();
    try {
      ClusterBackupWorkflow workflow = setup.backupStub(CLUSTER);
      WorkflowClient.start(workflow::backup, TestSetup.request(CLUSTER));
      ClusterBackupWorkflow running = setup.client().newWorkflowStub(ClusterBackupWorkflow.class,
          WorkflowIds.backup(CLUSTER));
      for (int k = 0; k < kills; k++) {
        Moment m = backupMoments.get(k);
        String hit = awaitMoment(() -> {
          BackupProgress p = running.progress();
          if (p.phase().equals("completed") || p.phase().equals("failed")) {
            return "ended";
          }
          for (BackupProgress.Node n : p.nodes()) {
            NodeBackupProgress np = n.progress();
            if (m.reachedBy(np.phase(), np.batchesDone(), np.batches())) {
              return np.phase() + " (session " + np.session() + ", " + np.batchesDone() + "/" + np.batches() + " batches)";
            }
          }
          return null;
        });
        if (hit.equals("ended")) {
          break;
        }
        worker.kill();
        killed++;
        hits.add("backup " + hit);
        worker = worker(setup, t, ++workers);
      }
      backup = Outcomes.await(WorkflowStub.fromTyped(workflow), 15, BackupRecord.class);
    } finally {
      writing.set(false);
      writer.join();
    }
    NodeBackupRecord node = backup.nodes().get(0);
    String mark = "trial-" + t + "-target";
    query(c, "SELECT pg_create_restore_point('" + mark + "')::text");
    String expected = contents(c);
    String bulk = checksum(c);
    insert(c, "after-" + mark, 10);
    RestoreEndToEndIT.awaitArchived(setup, CLUSTER, query(c, "SELECT pg_walfile_name(pg_switch_wal())"));

    int port = FreePorts.loopback();
    Path dir = tmp.resolve("restored-" + t);
    String restoreId = WorkflowIds.restore(CLUSTER, "trial-" + t);
    ClusterRestoreWorkflow restore = setup.client().newWorkflowStub(ClusterRestoreWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(restoreId).setTaskQueue(TaskQueues.SHARED).build());
    boolean verified = false;
    String error = null;
    try {
      WorkflowClient.start(restore::restore, new RestoreRequest(CLUSTER, backup.id(), RecoveryTarget.atName(mark),
          null, null, "promote", "off", 2,
          List.of(NodeTarget.of("n1", dir.toString(), port).withSettings(Map.of("unix_socket_directories", "")))));
      String hit = awaitMoment(() -> {
        RestoreStatus st = restore.status();
        if (st.phase().equals("completed") || st.phase().equals("failed")) {
          return "ended";
        }
        return st.nodes().stream()
            .filter(n -> restoreMoment.reachedBy(n.phase(), n.batchesDone(), n.batches()))
            .map(n -> n.phase() + " (" + n.batchesDone() + "/" + n.batches() + " batches)")
            .findFirst().orElse(null);
      });
      if (!hit.equals("ended")) {
        worker.kill();
        killed++;
        hits.add("restore " + hit);
        worker = worker(setup, t, ++workers);
      }
      RestoreResult result = Outcomes.await(WorkflowStub.fromTyped(restore), 15, RestoreResult.class);
      try (Connection restored = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres",
          "postgres", "")) {
        verified = "promoted".equals(result.nodes().get(0).state()) && expected.equals(contents(restored))
            && bulk.equals(checksum(restored));
        if (!verified) {
          error = "restored rows differ from the source's at the restore point";
        }
      }
    } catch (Exception | AssertionError e) {
      error = e.getMessage();
    } finally {
      PgCtl pgCtl = new PgCtl(pg.binDirectory(), "pg_ctl", dir);
      if (pgCtl.runningPid().isPresent()) {
        pgCtl.stop();
      }
      worker.kill();
    }
    return new Trial(t, killed, hits, node.session(), node.reuse() == null ? Reuse.NONE : node.reuse(), node.bytes(),
        verified, error);
  }

  /**
   * A moment to kill at: a phase, and while sending or fetching, a share of the batches done.
   * The progress reports come at phases and every tenth of the batches, so a share is reached at
   * the report that passes it.
   */
  record Moment(String phase, double share) {
    static final List<String> BACKUP_PHASES = List.of("listing", "sending", "sending", "sending", "stopping", "archiving");
    static final List<String> RESTORE_PHASES = List.of("fetching", "fetching", "configuring", "replaying");

    static Moment backup(Random random) {
      return new Moment(BACKUP_PHASES.get(random.nextInt(BACKUP_PHASES.size())), random.nextDouble() * 0.9);
    }

    static Moment restore(Random random) {
      return new Moment(RESTORE_PHASES.get(random.nextInt(RESTORE_PHASES.size())), random.nextDouble() * 0.9);
    }

    boolean reachedBy(String current, int batchesDone, int batches) {
      if (!phase.equals(current)) {
        return false;
      }
      boolean transfer = phase.equals("sending") || phase.equals("fetching");
      return !transfer || batches > 0 && batchesDone >= share * batches;
    }
  }

  /** Polls until the probe names what it saw; "ended" if the workflow ended first. */
  private static String awaitMoment(java.util.function.Supplier<String> probe) throws InterruptedException {
    for (int i = 0; i < 6000; i++) {
      try {
        String seen = probe.get();
        if (seen != null) {
          return seen;
        }
      } catch (RuntimeException notYet) {
        // the query may fail while the workflow is between workers
      }
      Thread.sleep(20);
    }
    return "ended";
  }

  private static ChildProcess worker(TestSetup setup, int trial, int n) throws Exception {
    return setup.startWorkerProcess("trial-" + trial + "-worker-" + n, List.of(), "--shared", "--node", CLUSTER + "/n1");
  }

  private static void report(long seed, List<Trial> results) {
    long kills = results.stream().mapToLong(Trial::kills).sum();
    long resent = results.stream().mapToLong(r -> r.reuse().resentBytes()).sum();
    long reused = results.stream().mapToLong(r -> r.reuse().reusedBytes()).sum();
    long bytes = results.stream().mapToLong(Trial::bytes).sum();
    System.out.println("crash trials report");
    System.out.printf("  seed               %d%n", seed);
    System.out.printf("  trials             %d%n", results.size());
    System.out.printf("  backups completed  %d%n", results.size());
    System.out.printf("  restores verified  %d%n", results.stream().filter(Trial::restored).count());
    System.out.printf("  kills              %d%n", kills);
    System.out.printf("  bytes re-sent      %d in all, %d per kill (of %d backed up)%n", resent,
        kills == 0 ? 0 : resent / kills, bytes);
    System.out.printf("  bytes reused       %d from lost sessions%n", reused);
  }
}
