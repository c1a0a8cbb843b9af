package io.tidemark.workers.bench;

import io.tidemark.activities.backup.NodeBackupActivitiesImpl;
import io.tidemark.activities.config.ConfigLoader;
import io.tidemark.activities.config.TidemarkConfig;
import io.tidemark.activities.postgres.PgConnections;
import io.tidemark.activities.postgres.SessionRegistry;
import io.tidemark.activities.repository.Repositories;
import io.tidemark.activities.repository.Repository;
import io.tidemark.activities.restore.NodeRestoreActivitiesImpl;
import io.tidemark.workflows.activities.NodeBackupActivities;
import io.tidemark.workflows.activities.NodeBackupActivities.BatchResult;
import io.tidemark.workflows.activities.NodeBackupActivities.FileListSummary;
import io.tidemark.workflows.activities.NodeBackupActivities.SendFileListInput;
import io.tidemark.workflows.activities.NodeBackupActivities.SendFilesInput;
import io.tidemark.workflows.activities.NodeRestoreActivities;
import io.tidemark.workflows.activities.NodeRestoreActivities.FetchFilesInput;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Tidemark's transfer engine without Temporal, in a JVM of its own sized like the worker's: the
 * same file-list and batch activities the workflows run (SendFileList, then SendFiles for every
 * batch, at most {@code parallelism} at once, pg_control last; or FetchFiles for every batch),
 * called directly. No pg_backup_start or stop, no WAL wait, no restore point: only the transfer,
 * timed from the first call to the last answer. The transfer runs twice: once untimed to warm the
 * JVM up (the worker it is compared with has done earlier runs), then, after the page cache is
 * dropped again, timed. Prints one RESULT line.
 *
 * <pre>
 * DirectTransfer backup  config=FILE cluster=NAME parallelism=N settle=S
 * DirectTransfer restore config=FILE cluster=NAME parallelism=N settle=S backup=ID session=N batches=N target=DIR
 * </pre>
 */
public final class DirectTransfer {

  private DirectTransfer() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (int i = 1; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      a.put(args[i].substring(0, eq), args[i].substring(eq + 1));
    }
    TidemarkConfig config = ConfigLoader.fromSystemEnvironment().load(Path.of(a.get("config")));
    String cluster = a.get("cluster");
    int parallelism = Integer.parseInt(a.get("parallelism"));
    int settle = Integer.parseInt(a.get("settle"));
    try (Repository repo = Repositories.open(config.repository())) {
      String result = null;
      for (int pass = 0; pass < 2; pass++) {
        result = args[0].equals("backup")
            ? backup(config, repo, cluster, parallelism)
            : restore(config, repo, cluster, parallelism, a.get("backup"), Integer.parseInt(a.get("session")),
                Integer.parseInt(a.get("batches")), a.get("target"));
        dropCaches(settle);
      }
      System.out.println("RESULT " + result);
    }
    System.exit(0);
  }

  private static String backup(TidemarkConfig config, Repository repo, String cluster, int parallelism) throws Exception {
    String node = TidemarkConfigFile.NODE;
    int version;
    String lsn;
    boolean checksums;
    try (Connection c = PgConnections.open(cluster, config.requireNode(cluster, node), "tidemark bench");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT current_setting('server_version_num')::int, pg_current_wal_lsn()::text,"
            + " current_setting('data_checksums') = 'on'")) {
      rs.next();
      version = rs.getInt(1);
      lsn = rs.getString(2);
      checksums = rs.getBoolean(3);
    }
    String backupId = "bench-direct-" + System.currentTimeMillis();
    SessionRegistry sessions = new SessionRegistry(Duration.ofHours(1), Duration.ofMinutes(10), Clock.systemUTC());
    try (ActivityCaller<NodeBackupActivities> agent = new ActivityCaller<>(NodeBackupActivities.class,
        new NodeBackupActivitiesImpl(config, repo, sessions))) {
      ExecutorService pool = readyPool(agent, parallelism);
      Clocked clock = new Clocked();
      FileListSummary list = agent.stub().sendFileList(new SendFileListInput(cluster, node, backupId, 1, version,
          parallelism));
      IntFunction<SendFilesInput> batch = b -> new SendFilesInput(cluster, node, backupId, 1, b, checksums, lsn, false);
      List<BatchResult> results = inParallel(pool, list.finalBatch(), b -> agent.stub().sendFiles(batch.apply(b)));
      results.add(agent.stub().sendFiles(batch.apply(list.finalBatch())));
      long stored = results.stream().mapToLong(BatchResult::storedBytes).sum();
      long bytes = results.stream().mapToLong(BatchResult::bytes).sum();
      return clock.stop() + " bytes=" + bytes + " stored=" + stored + " batches=" + list.batches();
    } finally {
      sessions.close();
    }
  }

  private static String restore(TidemarkConfig config, Repository repo, String cluster, int parallelism, String backupId,
      int session, int batches, String target) throws Exception {
    Dirs.fresh(Path.of(target));
    try (ActivityCaller<NodeRestoreActivities> agent = new ActivityCaller<>(NodeRestoreActivities.class,
        new NodeRestoreActivitiesImpl(config, repo, "true"))) {
      ExecutorService pool = readyPool(agent, parallelism);
      Clocked clock = new Clocked();
      List<NodeRestoreActivities.FetchResult> results = inParallel(pool, batches, b -> agent.stub().fetchFiles(
          new FetchFilesInput(cluster, backupId, TidemarkConfigFile.NODE, session, b, target)));
      long bytes = results.stream().mapToLong(NodeRestoreActivities.FetchResult::bytes).sum();
      return clock.stop() + " bytes=" + bytes;
    }
  }

  /** As the harness does between runs: the servers are idle and the repository synced, so sync and drop suffice. */
  private static void dropCaches(int settleSeconds) throws Exception {
    new ProcessBuilder("sync").inheritIO().start().waitFor();
    try {
      java.nio.file.Files.writeString(Path.of("/proc/sys/vm/drop_caches"), "3\n");
    } catch (java.io.IOException refused) {
      // the report says whether the harness could drop caches
    }
    Thread.sleep(settleSeconds * 1000L);
  }

  /**
   * A pool of {@code parallelism} threads, each with its activity environment already made, and
   * zstd's native library loaded: a worker has both before its first activity, so the clock
   * leaves them out here too.
   */
  private static ExecutorService readyPool(ActivityCaller<?> agent, int parallelism) throws Exception {
    com.github.luben.zstd.Zstd.compress(new byte[1], 1);
    agent.stub();
    ExecutorService pool = Executors.newFixedThreadPool(parallelism);
    java.util.concurrent.CountDownLatch all = new java.util.concurrent.CountDownLatch(parallelism);
    List<Future<?>> made = new ArrayList<>();
    for (int i = 0; i < parallelism; i++) {
      made.add(pool.submit(() -> {
        agent.stub();
        all.countDown();
        all.await();
        return null;
      }));
    }
    for (Future<?> f : made) {
      f.get();
    }
    return pool;
  }

  /** Batches 0 to count-1 on the pool, as many at once as it has threads, as the workflows' BatchWindow runs them. */
  private static <R> List<R> inParallel(ExecutorService pool, int count, IntFunction<R> call) throws Exception {
    try {
      List<Future<R>> futures = new ArrayList<>();
      for (int b = 0; b < count; b++) {
        int batch = b;
        futures.add(pool.submit(() -> call.apply(batch)));
      }
      List<R> results = new ArrayList<>();
      for (Future<R> f : futures) {
        results.add(f.get());
      }
      return results;
    } finally {
      pool.shutdown();
    }
  }

  /** Wall time, and this process's CPU time, from the clock's creation to {@link #stop()}. */
  private static final class Clocked {
    private final long wall = System.nanoTime();
    private final long cpu = cpuNanos();

    String stop() {
      return String.format("seconds=%.3f cpu=%.3f", (System.nanoTime() - wall) / 1e9, (cpuNanos() - cpu) / 1e9);
    }

    private static long cpuNanos() {
      return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
  }
}
