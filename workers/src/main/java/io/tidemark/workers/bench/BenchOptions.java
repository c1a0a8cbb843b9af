package io.tidemark.workers.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The benchmark's options.
 *
 * @param parallelism Tidemark's batches in flight per node, one full set of Tidemark runs each; the
 *     first is also used for the direct-engine comparison
 * @param skip parts left out: basebackup, pgbackrest, local, s3, direct
 */
record BenchOptions(int scale, int randomMb, List<Integer> parallelism, Path work, int settleSeconds, Path pgBin,
    Path out, Set<String> skip, boolean profile, String note) {

  static final String USAGE = """
      usage: bench/run [--scale N] [--random-mb M] [--parallelism 2,4] [--work DIR] [--settle S]
                       [--pg-bin DIR] [--out FILE] [--skip basebackup,pgbackrest,local,s3,direct]
                       [--profile] [--note TEXT]
        --scale N         pgbench scale of the first data set (default 30; 300 is about 4.5 GB)
        --random-mb M     size of the random text and bytea data set in MB (default 200)
        --parallelism L   Tidemark parallelism, a comma-separated list (default 4)
        --work DIR        scratch directory: repositories, restores, logs (default /tmp/tdm-bench)
        --settle S        seconds to wait after dropping caches (default 5)
        --pg-bin DIR      PostgreSQL 15 binaries with pgbench and pg_basebackup (default /usr/lib/postgresql/15/bin)
        --out FILE        where the markdown report goes (default bench/results/latest.md)
        --skip LIST       leave parts out
        --profile         record a JFR profile of each worker and print its hottest methods
        --note TEXT       a line for the report's conditions (what else ran on the machine, say)
      """;

  static BenchOptions parse(String[] args) {
    int scale = 30;
    int randomMb = 200;
    List<Integer> parallelism = List.of(4);
    Path work = Path.of("/tmp/tdm-bench");
    int settle = 5;
    Path pgBin = Path.of("/usr/lib/postgresql/15/bin");
    Path out = Path.of("bench/results/latest.md");
    Set<String> skip = Set.of();
    boolean profile = false;
    String note = "";
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--profile")) {
        profile = true;
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("unknown option or missing value: " + a);
      }
      String v = args[++i];
      switch (a) {
        case "--scale" -> scale = Integer.parseInt(v);
        case "--random-mb" -> randomMb = Integer.parseInt(v);
        case "--parallelism" -> {
          List<Integer> list = new ArrayList<>();
          for (String p : v.split(",")) {
            list.add(Integer.parseInt(p.trim()));
          }
          parallelism = List.copyOf(list);
        }
        case "--work" -> work = Path.of(v).toAbsolutePath();
        case "--settle" -> settle = Integer.parseInt(v);
        case "--pg-bin" -> pgBin = Path.of(v);
        case "--out" -> out = Path.of(v).toAbsolutePath();
        case "--skip" -> skip = Set.copyOf(Arrays.asList(v.split(",")));
        case "--note" -> note = v;
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    return new BenchOptions(scale, randomMb, parallelism, work, settle, pgBin, out.toAbsolutePath(), skip, profile, note);
  }

  boolean runs(String part) {
    return !skip.contains(part);
  }
}
