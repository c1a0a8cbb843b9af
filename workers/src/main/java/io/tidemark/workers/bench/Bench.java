package io.tidemark.workers.bench;

import io.tidemark.activities.config.ConfigLoader;
import io.tidemark.infra.FreePorts;
import io.tidemark.infra.LocalArtifacts;
import io.tidemark.infra.s3.LocalS3;
import io.tidemark.infra.temporal.LocalTemporal;
import io.tidemark.workers.Launcher;
import io.tidemark.workers.temporal.TemporalConnection;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark of issue 6, in one run on the same data: the read ceiling, pg_basebackup,
 * pgBackRest, and Tidemark (a worker JVM with -Xmx512m, through its workflows, to a local
 * repository and to the S3 server), then the engine without Temporal. Each run starts from a cold
 * cache; each restore is checked afterwards. Prints a markdown report and writes it to a file.
 * Run it through bench/run.
 */
public final class Bench {

  private final BenchOptions options;
  private final Log log;
  private final Path work;
  private final Cmd cmd;
  private final List<Measurement> runs = new ArrayList<>();
  private final List<Overhead> overheads = new ArrayList<>();
  private final List<WorkerHeap> heaps = new ArrayList<>();
  private final List<String> breakdowns = new ArrayList<>();
  private final List<String> profiles = new ArrayList<>();
  private ColdCache cold;
  private String stageRates;

  private Bench(BenchOptions options, PrintStream out) {
    this.options = options;
    this.log = new Log(out);
    this.work = options.work();
    this.cmd = new Cmd(work.resolve("commands.log"));
  }

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
      System.out.print(BenchOptions.USAGE);
      return;
    }
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage() + "\n" + BenchOptions.USAGE);
      System.exit(2);
      return;
    }
    new Bench(options, System.out).run();
    System.exit(0);
  }

  private void run() throws Exception {
    Dirs.remove(work);
    Files.createDirectories(work);
    String loadBefore = Machine.loadAverage();
    log.step("starting a Temporal server and an S3 server; work directory " + work);
    try (LocalTemporal temporal = LocalTemporal.start(0);
        LocalS3 s3 = LocalS3.start(work.resolve("s3"), "tidemark-bench", 0, work.resolve("s3.log"))) {
      log.step("building the data sets");
      DataSets builder = new DataSets(options.pgBin(), cmd, log);
      List<DataSet> sets = new ArrayList<>();
      try {
        sets.add(builder.pgbench(options.scale()));
        sets.add(builder.random(options.randomMb()));
        cold = new ColdCache(sets, options.settleSeconds());
        readCeiling(sets, "first");
        log.step("one thread's rate per stage of the backup path, on each data set's largest file");
        stageRates = StageRates.measure(sets);
        for (DataSet set : sets) {
          log.step("CPU ceiling: the engine on every file of " + set.name() + " from the page cache");
          add(CpuCeiling.measure(set, options.parallelism().get(0)));
        }
        if (options.runs("basebackup")) {
          pgBaseBackup(sets);
        }
        if (options.runs("pgbackrest")) {
          pgBackRest(sets);
        }
        if (options.runs("local")) {
          Path config = TidemarkConfigFile.local(work.resolve("tidemark-local.yaml"), temporal.target(),
              work.resolve("tidemark-repo"), sets);
          tidemark(config, "local", sets, options.runs("direct"));
        }
        if (options.runs("s3")) {
          Path config = TidemarkConfigFile.s3(work.resolve("tidemark-s3.yaml"), temporal.target(), s3, sets);
          tidemark(config, "S3", sets, false);
        }
        // Again at the end: a ceiling is an upper bound, and one reading on a shared machine can be low.
        readCeiling(sets, "last");
      } finally {
        for (DataSet set : sets) {
          set.pg().close();
        }
      }
      String conditions = conditions(sets, loadBefore, Machine.loadAverage());
      Report report = new Report("Tidemark benchmark, " + LocalDate.now(), Machine.describe(work, options.pgBin()),
          conditions, runs, overheads, heaps, breakdowns);
      String markdown = report.markdown();
      if (stageRates != null) {
        markdown += "\n## One thread, stage by stage (MB/s, file in the page cache)\n\n" + stageRates + "\n\n"
            + "A file goes through one SendFiles thread, so the last column bounds how fast any one large file"
            + " (a 1 GB relation segment) is backed up, whatever the parallelism.\n";
      }
      if (!profiles.isEmpty()) {
        markdown += "\n## Hottest methods in the worker (JFR, --profile)\n\n" + String.join("\n\n", profiles) + "\n";
      }
      Files.createDirectories(options.out().getParent());
      Files.writeString(options.out(), markdown + "\n");
      log.step("results (also in " + options.out() + ")");
      System.out.println();
      System.out.println(markdown);
    }
  }

  private void readCeiling(List<DataSet> sets, String when) throws Exception {
    for (DataSet set : sets) {
      log.step("read ceiling (" + when + "): two streams through " + set.name() + "'s data files");
      cold.prepare();
      double seconds = ReadCeiling.read(set.dataDirectory(), 2);
      add(new Measurement("ceiling", "read ceiling, 2 streams (" + when + ")", "read", set.name(), set.bytes(), seconds,
          0, -1));
    }
  }

  private void pgBaseBackup(List<DataSet> sets) throws Exception {
    PgBaseBackup tool = new PgBaseBackup(options.pgBin(), cmd, work);
    for (DataSet set : sets) {
      Archiving.use(set, DataSets.NO_ARCHIVE);
      log.step("pg_basebackup of " + set.name());
      cold.prepare();
      add(tool.plain(set));
      cold.prepare();
      add(tool.clientZstd(set));
    }
  }

  private void pgBackRest(List<DataSet> sets) throws Exception {
    PgBackRest tool = new PgBackRest(cmd, work, options.pgBin());
    tool.setUp(sets);
    for (DataSet set : sets) {
      Archiving.use(set, tool.archiveCommand(set));
      log.step("pgBackRest backup and restore of " + set.name());
      cold.prepare();
      add(tool.backup(set));
      Path target = work.resolve("restore-pgbackrest-" + set.name());
      cold.prepare();
      add(tool.restore(set, target));
      tool.verify(set, target, work.resolve("verify-pgbackrest-" + set.name() + ".log"));
      log.say("restored copy started, " + set.expectedRows() + " rows counted");
    }
  }

  private void tidemark(Path config, String repository, List<DataSet> sets, boolean direct) throws Exception {
    for (DataSet set : sets) {
      Archiving.use(set, Launcher.command(config) + " wal-push --cluster " + set.name() + " --node "
          + TidemarkConfigFile.NODE + " %p");
    }
    Path jar = LocalArtifacts.codeLocation();
    RestoreCheck check = new RestoreCheck(cmd, options.pgBin());
    List<String> done = new ArrayList<>();
    try (TemporalConnection temporal = new TemporalConnection(
        ConfigLoader.fromSystemEnvironment().load(config).temporal())) {
      WorkerJvm worker = WorkerJvm.start(jar, config, work, repository.toLowerCase(), options.profile());
      try {
        TidemarkRuns tidemark = new TidemarkRuns(temporal.client(), worker, repository);
        warmUp(tidemark, sets.get(sets.size() - 1));
        for (DataSet set : sets) {
          for (int p : options.parallelism()) {
            log.step(tidemark.tool(p) + ": backup and restore of " + set.name());
            cold.prepare();
            TidemarkRuns.Backup backup = tidemark.backup(set, p);
            add(backup.measurement());
            breakdowns.add(tidemark.tool(p) + ", backup of " + set.name() + ": " + backup.breakdown());
            Path target = work.resolve("restore-tidemark-" + set.name());
            int port = FreePorts.loopback();
            cold.prepare();
            TidemarkRuns.Restore restore = tidemark.restore(set, backup.record(), target, port, p);
            add(restore.measurement());
            breakdowns.add(tidemark.tool(p) + ", restore of " + set.name() + ": " + restore.breakdown());
            check.verify(set, target, port, work.resolve("verify-tidemark-" + set.name() + ".log"));
            log.say("restored copy started, " + set.expectedRows() + " rows counted");
            done.add(set.name() + " p=" + p);
            if (direct && p == options.parallelism().get(0)) {
              compareDirect(config, jar, set, backup, restore, p);
            }
          }
        }
      } finally {
        worker.close();
      }
      heaps.add(new WorkerHeap(repository, worker.heap(), worker.peakResidentBytes(), String.join(", ", done)));
      log.say("worker heap: peak " + Report.mb(worker.heap().peakUsed()) + " MB used of 512 MB");
      if (worker.profile() != null) {
        profiles.add("Worker with the " + repository + " repository:\n\n" + HotMethods.summarize(worker.profile(), 15));
      }
    }
  }

  /**
   * One untimed backup and restore, so that the timed runs meet a worker whose code is compiled,
   * as a long-running worker's is (and as the direct engine's is when it is compared with it).
   */
  private void warmUp(TidemarkRuns tidemark, DataSet set) throws Exception {
    int p = options.parallelism().get(0);
    log.step("warming the worker up: an untimed backup and restore of " + set.name());
    TidemarkRuns.Backup backup = tidemark.backup(set, p);
    Path target = work.resolve("restore-warmup-" + set.name());
    tidemark.restore(set, backup.record(), target, FreePorts.loopback(), p);
    Dirs.remove(target);
  }

  private void compareDirect(Path config, Path jar, DataSet set, TidemarkRuns.Backup backup,
      TidemarkRuns.Restore restore, int p) throws Exception {
    DirectRuns directRuns = new DirectRuns(jar, config, cmd, options.settleSeconds());
    log.step("the same transfers without Temporal: " + set.name() + ", p=" + p);
    cold.prepare();
    Measurement b = add(directRuns.backup(set, p));
    overheads.add(new Overhead(set.name(), "backup", p, backup.measurement().seconds(), backup.transferSeconds(),
        b.seconds()));
    cold.prepare();
    Measurement r = add(directRuns.restore(set, backup.record(), work.resolve("restore-direct-" + set.name()), p));
    overheads.add(new Overhead(set.name(), "restore", p, restore.measurement().seconds(), restore.transferSeconds(),
        r.seconds()));
  }

  private Measurement add(Measurement m) {
    runs.add(m);
    log.say(String.format(java.util.Locale.ROOT, "%s %s of %s: %.2f s, %.0f MB/s", m.tool(), m.operation(),
        m.dataSet(), m.seconds(), m.mbPerSecond()));
    return m;
  }

  private String conditions(List<DataSet> sets, String loadBefore, String loadAfter) {
    List<String> s = new ArrayList<>();
    for (DataSet set : sets) {
      s.add("- Data set " + set.name() + ": " + set.description() + "; " + Report.mb(set.bytes()) + " MB in "
          + set.files() + " files (pg_wal left out); data checksums on; PostgreSQL 15, idle, autovacuum off.");
    }
    s.add("- Every run started cold: CHECKPOINT, sync, " + (cold != null && cold.cold()
        ? "echo 3 > /proc/sys/vm/drop_caches" : "**page cache NOT dropped (refused)**") + ", then "
        + options.settleSeconds() + " s of rest. One run of each; repositories and restores on the same disk as the data.");
    s.add("- Compression zstd level 1 everywhere; pgBackRest process-max=2; Tidemark parallelism "
        + options.parallelism() + ". The S3 server is S3Mock on this machine (reached through a loopback bridge).");
    s.add("- Load average (1, 5, 15 min) before: " + loadBefore + "; after: " + loadAfter + ".");
    if (!options.note().isBlank()) {
      s.add("- " + options.note());
    }
    return String.join("\n", s);
  }
}
