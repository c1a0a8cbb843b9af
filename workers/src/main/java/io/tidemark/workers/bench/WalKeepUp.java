package io.tidemark.workers.bench;

import io.tidemark.activities.postgres.Unprivileged;
import io.tidemark.infra.FreePorts;
import io.tidemark.infra.postgres.LocalPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * bench/wal-keepup: can wal-push keep up with the most WAL pgbench makes here, and how long does
 * recovery of the archived WAL take through wal-fetch — each with Tidemark's work-ahead off (one
 * segment per call, as before issue 6) and on (the defaults). For each archiving variant: a fresh
 * PostgreSQL 15 loaded with pgbench, archive_command switched to {@code tidemark wal-push} into a
 * local repository, pgbench for the given seconds while a sampler reads the WAL position,
 * pg_stat_archiver and the number of .ready files every second; then the time the archiver needs
 * to drain its backlog. Then the WAL the "on" run archived is replayed twice from a base backup
 * taken before its load, with prefetch off and on.
 */
public final class WalKeepUp {

  private static final String CLUSTER = "keepup";
  private static final long SEGMENT = 16L << 20;

  record Sample(double seconds, long walBytes, long archived, long ready) {}

  record LoadRun(String variant, double seconds, long walBytes, long archivedSegments, long peakReady, long endReady,
      double drainSeconds, List<Sample> samples) {}

  record ReplayRun(String variant, long segments, double seconds, long servedFromSpool) {}

  private final Path work;
  private final Path pgBin;
  private final String launcher;
  private final int seconds;
  private final int scale;
  private final int clients;
  private final String workload;
  private final Log log = new Log(System.out);
  private final Cmd cmd;

  private WalKeepUp(Path work, Path pgBin, String launcher, int seconds, int scale, int clients, String workload) {
    this.workload = workload;
    this.work = work;
    this.pgBin = pgBin;
    this.launcher = launcher;
    this.seconds = seconds;
    this.scale = scale;
    this.clients = clients;
    this.cmd = new Cmd(work.resolve("commands.log"));
  }

  public static void main(String[] args) throws Exception {
    Path work = Path.of("/tmp/tdm-wal-keepup");
    Path out = Path.of("bench/results/wal-keepup.md");
    int seconds = 60;
    int scale = 20;
    int clients = 4;
    String workload = "bulk";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--seconds" -> seconds = Integer.parseInt(args[++i]);
        case "--scale" -> scale = Integer.parseInt(args[++i]);
        case "--clients" -> clients = Integer.parseInt(args[++i]);
        case "--workload" -> workload = args[++i];
        case "--work" -> work = Path.of(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        default -> {
          System.err.println("usage: bench/wal-keepup [--seconds 60] [--scale 20] [--clients 4] [--workload bulk|tpcb] [--work DIR] [--out FILE]");
          System.exit(2);
        }
      }
    }
    String launcher = System.getProperty("tidemark.launcher");
    if (launcher == null) {
      throw new IllegalStateException("run through bench/wal-keepup (it sets -Dtidemark.launcher)");
    }
    Dirs.fresh(work);
    WalKeepUp bench = new WalKeepUp(work, Path.of("/usr/lib/postgresql/15/bin"), launcher, seconds, scale, clients,
        workload);
    String report = bench.run();
    System.out.println();
    System.out.println(report);
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, report);
  }

  private String run() throws Exception {
    List<LoadRun> loads = new ArrayList<>();
    loads.add(load("one segment per call (pushAhead: 0)", "pushAhead: 0\n  prefetch: 0\n", "before", false));
    loads.add(load("push ahead (defaults: pushAhead 8, threads 4)", "", "after", true));
    List<ReplayRun> replays = new ArrayList<>();
    for (int round = 1; round <= 2; round++) { // interleaved: the machine is shared, its load drifts
      replays.add(replay("one segment per call (prefetch: 0), run " + round, "prefetch: 0\n"));
      replays.add(replay("prefetch (defaults: prefetch 8, threads 4), run " + round, ""));
    }
    return report(loads, replays);
  }

  private Path config(String name, Path repository, String walYaml) throws IOException {
    Path file = work.resolve(name + ".yaml");
    Files.writeString(file, "repository:\n  local:\n    path: " + repository + "\n"
        + (walYaml.isEmpty() ? "" : "wal:\n  " + walYaml)
        + "clusters:\n  " + CLUSTER + ":\n    nodes:\n      - name: n1\n        dataDirectory: /unused\n");
    return file;
  }

  private LoadRun load(String variant, String walYaml, String name, boolean keepBaseBackup) throws Exception {
    log.step("load: " + variant);
    Path repo = Files.createDirectories(work.resolve("repo-" + name));
    Path config = config(name, repo, walYaml);
    Unprivileged.own(work);
    try (LocalPostgres pg = LocalPostgres.start(pgBin, 15, LocalPostgres.Options.defaults()
        .withArchiveCommand("/bin/true").withSettings(List.of("synchronous_commit = off", "max_wal_size = 4GB",
            "checkpoint_timeout = 30s", "shared_buffers = 128MB")))) {
      String conn = "host=127.0.0.1 port=" + pg.port() + " user=postgres dbname=postgres";
      log.say("pgbench -i -s " + scale);
      cmd.run(List.of(pgBin.resolve("pgbench").toString(), "-i", "-q", "-s", String.valueOf(scale), conn));
      execute(pg, "CHECKPOINT");
      if (keepBaseBackup) {
        log.say("base backup for the replay comparison");
        cmd.run(List.of(pgBin.resolve("pg_basebackup").toString(), "-d", conn, "-D", work.resolve("base").toString(),
            "-X", "fetch", "-c", "fast"));
      }
      String archiveCommand = launcher + " --config " + config + " wal-push --cluster " + CLUSTER + " --node n1 %p";
      execute(pg, "SELECT pg_switch_wal()", "ALTER SYSTEM SET archive_command = '" + archiveCommand + "'",
          "SELECT pg_reload_conf()");
      Thread.sleep(500);
      log.say("pgbench (" + workload + ") -c " + clients + " -j 2 -T " + seconds + ", sampling every second");
      List<Sample> samples = new ArrayList<>();
      Sampler sampler = new Sampler(pg, samples);
      Thread t = new Thread(sampler, "sampler");
      t.start();
      List<String> pgbench = new ArrayList<>(List.of(pgBin.resolve("pgbench").toString(), "-c", String.valueOf(clients),
          "-j", "2", "-T", String.valueOf(seconds), "-n"));
      if (workload.equals("bulk")) {
        pgbench.addAll(List.of("-f", bulkScript(pg).toString()));
      }
      pgbench.add(conn);
      cmd.run(pgbench);
      sampler.stop = true;
      t.join();
      Sample first = samples.get(0);
      Sample last = samples.get(samples.size() - 1);
      long peak = samples.stream().mapToLong(Sample::ready).max().orElse(0);
      log.say("draining the backlog of " + last.ready() + " files");
      long drainStart = System.nanoTime();
      while (sample(pg, 0).ready() > 0 && System.nanoTime() - drainStart < 900e9) {
        Thread.sleep(100);
      }
      double drain = (System.nanoTime() - drainStart) / 1e9;
      return new LoadRun(variant, last.seconds() - first.seconds(), last.walBytes() - first.walBytes(),
          last.archived() - first.archived(), peak, last.ready(), drain, samples);
    }
  }

  /**
   * The workload that makes the most WAL here: each transaction inserts 2,000 rows (tpcb, pgbench's
   * default, is bound by row locks and makes far less).
   */
  private Path bulkScript(LocalPostgres pg) throws Exception {
    execute(pg, "CREATE TABLE IF NOT EXISTS keepup_bulk (id int, payload text)");
    Path script = work.resolve("bulk.sql");
    Files.writeString(script, "INSERT INTO keepup_bulk SELECT g, md5(g::text) FROM generate_series(1, 2000) g;\n");
    return script;
  }

  /** Reads the server's WAL position, archive count and backlog every second until stopped. */
  private final class Sampler implements Runnable {
    private final LocalPostgres pg;
    private final List<Sample> samples;
    private final long start = System.nanoTime();
    volatile boolean stop;

    Sampler(LocalPostgres pg, List<Sample> samples) {
      this.pg = pg;
      this.samples = samples;
    }

    @Override
    public void run() {
      try {
        while (!stop) {
          samples.add(sample(pg, (System.nanoTime() - start) / 1e9));
          Thread.sleep(1000);
        }
        samples.add(sample(pg, (System.nanoTime() - start) / 1e9));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static Sample sample(LocalPostgres pg, double at) throws Exception {
    try (Connection c = pg.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
        "SELECT pg_current_wal_lsn() - '0/0'::pg_lsn, (SELECT archived_count FROM pg_stat_archiver),"
            + " (SELECT count(*) FROM pg_ls_dir('pg_wal/archive_status') f WHERE f LIKE '%.ready')")) {
      rs.next();
      return new Sample(at, rs.getLong(1), rs.getLong(2), rs.getLong(3));
    }
  }

  private ReplayRun replay(String variant, String walYaml) throws Exception {
    log.step("replay: " + variant);
    Path config = config("replay-" + (walYaml.isEmpty() ? "prefetch" : "plain"), work.resolve("repo-after"), walYaml);
    Path dir = work.resolve("replay");
    Dirs.remove(dir);
    cmd.run(List.of("cp", "-a", work.resolve("base").toString(), dir.toString()));
    int port = FreePorts.loopback();
    Files.writeString(dir.resolve("postgresql.auto.conf"), "port = " + port + "\narchive_mode = off\n"
        + "unix_socket_directories = ''\nrestore_command = '" + launcher + " --config " + config + " wal-fetch --cluster "
        + CLUSTER + " --node n1 %f %p'\n", StandardOpenOption.APPEND);
    Files.writeString(dir.resolve("recovery.signal"), "");
    Unprivileged.own(dir);
    String pgCtl = pgBin.resolve("pg_ctl").toString();
    long start = System.nanoTime();
    cmd.runAsPostgres(List.of(pgCtl, "-D", dir.toString(), "-l", work.resolve("replay.log").toString(), "-W", "start"));
    try {
      Instant deadline = Instant.now().plusSeconds(1800);
      while (!"f".equals(inRecovery(port))) {
        if (Instant.now().isAfter(deadline)) {
          throw new IllegalStateException("still in recovery after 30 min: " + work.resolve("replay.log"));
        }
        Thread.sleep(50);
      }
      double took = (System.nanoTime() - start) / 1e9;
      long segments = restoredSegments(work.resolve("replay.log"));
      long fromSpool = spoolHits(dir);
      log.say(segments + " segments restored in " + String.format(Locale.ROOT, "%.1f", took) + " s, " + fromSpool
          + " from the spool");
      return new ReplayRun(variant, segments, took, fromSpool);
    } finally {
      cmd.runAsPostgres(List.of(pgCtl, "-D", dir.toString(), "-m", "immediate", "-w", "stop"));
    }
  }

  /** "restored log file ... from archive" lines of segments in the server log, once per run. */
  private static long restoredSegments(Path serverLog) throws IOException {
    List<String> lines = Files.readAllLines(serverLog);
    Files.writeString(serverLog, ""); // the next run starts its own count
    return lines.stream().filter(l -> l.contains("restored log file") && !l.contains(".history")).count();
  }

  private static long spoolHits(Path dataDirectory) throws IOException {
    Path spool = dataDirectory.resolve("pg_wal/tidemark-spool");
    if (!Files.exists(spool)) {
      return 0;
    }
    long hits = 0;
    try (Stream<Path> files = Files.walk(spool)) {
      for (Path f : files.filter(p -> p.getFileName().toString().equals("activity.log")).toList()) {
        hits += Files.readAllLines(f).stream().filter(l -> l.contains(" from spool")).count();
        long byLauncher = Files.readAllLines(f).stream().filter(l -> l.contains("(launcher)")).count();
        System.out.println("           of which " + byLauncher + " by the launcher without a JVM");
      }
    }
    return hits;
  }

  private static String inRecovery(int port) {
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT pg_is_in_recovery()")) {
      rs.next();
      return rs.getBoolean(1) ? "t" : "f";
    } catch (java.sql.SQLException notYet) {
      return "?";
    }
  }

  private static void execute(LocalPostgres pg, String... sql) throws Exception {
    try (Connection c = pg.connect(); Statement st = c.createStatement()) {
      for (String s : sql) {
        st.execute(s);
      }
    }
  }

  private String report(List<LoadRun> loads, List<ReplayRun> replays) {
    StringBuilder r = new StringBuilder("# WAL keep-up (bench/wal-keepup)\n\n");
    r.append(Machine.describe(work, pgBin)).append("\n\n");
    r.append(String.format(Locale.ROOT, "pgbench -s %d, workload %s, %d clients, %d s; PostgreSQL 15, fsync off, synchronous_commit"
        + " off; local repository; archive_command = ./tidemark wal-push\n\n", scale, workload, clients, seconds));
    r.append("| wal-push | WAL made MB/s | archived MB/s (pg_stat_archiver) | .ready at end | peak .ready | drain after load s |\n");
    r.append("|---|---|---|---|---|---|\n");
    for (LoadRun l : loads) {
      r.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %d | %d | %.1f |%n", l.variant(),
          l.walBytes() / 1e6 / l.seconds(), l.archivedSegments() * SEGMENT / 1e6 / l.seconds(), l.endReady(),
          l.peakReady(), l.drainSeconds()));
    }
    r.append("\n.ready files over time (every 5 s):\n\n");
    for (LoadRun l : loads) {
      r.append("* ").append(l.variant()).append(": ");
      List<String> points = new ArrayList<>();
      for (int i = 0; i < l.samples().size(); i += 5) {
        points.add(String.valueOf(l.samples().get(i).ready()));
      }
      r.append(String.join(" ", points)).append('\n');
    }
    r.append("\n| wal-fetch (replay of the push-ahead run's WAL from a base backup) | segments restored | recovery s |"
        + " s per segment | served from spool |\n|---|---|---|---|---|\n");
    for (ReplayRun p : replays) {
      r.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %.3f | %d |%n", p.variant(), p.segments(), p.seconds(),
          p.seconds() / Math.max(1, p.segments()), p.servedFromSpool()));
    }
    return r.toString();
  }
}
