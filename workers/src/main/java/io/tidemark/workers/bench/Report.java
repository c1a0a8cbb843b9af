package io.tidemark.workers.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The results as markdown: the main table (MB/s, share of the read ceiling, ratio to pgBackRest),
 * Temporal's overhead, the worker's memory, and where each Tidemark run spent its time.
 */
final class Report {

  private final String title;
  private final String machine;
  private final String conditions;
  private final List<Measurement> runs;
  private final List<Overhead> overheads;
  private final List<WorkerHeap> heaps;
  private final List<String> breakdowns;

  Report(String title, String machine, String conditions, List<Measurement> runs, List<Overhead> overheads,
      List<WorkerHeap> heaps, List<String> breakdowns) {
    this.title = title;
    this.machine = machine;
    this.conditions = conditions;
    this.runs = runs;
    this.overheads = overheads;
    this.heaps = heaps;
    this.breakdowns = breakdowns;
  }

  static String mb(long bytes) {
    return String.format(Locale.ROOT, "%,.0f", bytes / 1e6);
  }

  String markdown() {
    List<String> s = new ArrayList<>();
    s.add("# " + title);
    s.add("");
    s.add("## Machine");
    s.add("");
    s.add(machine);
    s.add("");
    s.add("## Conditions");
    s.add("");
    s.add(conditions);
    s.add("");
    s.add("## Throughput");
    s.add("");
    s.add(table());
    s.add("");
    s.add("MB = 10^6 bytes. MB/s = the data directory's size (pg_wal left out) / wall seconds of the run, whatever the"
        + " tool stored. \"% of ceiling\": of the read ceiling measured on the same data set in this run (two streams"
        + " reading every data file, nothing else; the better of its readings at the start and at the end). \"× pgBackRest\": MB/s over pgBackRest's for the same operation and"
        + " data set (issue 6's targets: backup ≥ 2×, restore ≥ 1.5×, each ≥ 85 % of the ceiling). \"CPU s\": user +"
        + " system seconds of the tool's own processes: the worker JVM for Tidemark (not the S3 server, PostgreSQL, the"
        + " wal-push processes or Temporal), pg_basebackup's client (not the walsender that reads the files),"
        + " pgBackRest and all its processes. Tidemark restores lay the files down without starting PostgreSQL"
        + " (start=false), as pgBackRest's restore does; each restore was then started and its rows counted, untimed."
        + " \"CPU ceiling\": the engine's per-file step (read, page checksums, CRC-32C, zstd -1) on every data file"
        + " from the page cache, as many threads as the backup's parallelism, nothing stored: the most this machine's"
        + " cores can back up per second, whatever the disk (its CPU s: the measuring JVM's).");
    s.add("");
    if (!overheads.isEmpty()) {
      s.add("## Temporal's overhead");
      s.add("");
      s.add("| data set | operation | p | workflow s | its transfer s | engine direct s | overhead, whole | overhead, transfer |");
      s.add("|---|---|---:|---:|---:|---:|---:|---:|");
      for (Overhead o : overheads) {
        s.add(String.format(Locale.ROOT, "| %s | %s | %d | %.2f | %.2f | %.2f | %+.1f %% | %+.1f %% |", o.dataSet(),
            o.operation(), o.parallelism(), o.workflowSeconds(), o.transferSeconds(), o.directSeconds(),
            o.wholePercent(), o.transferPercent()));
      }
      s.add("");
      s.add("\"Engine direct\": the same activity code (SendFileList + SendFiles, or FetchFiles) called in a JVM of the"
          + " worker's size, with no Temporal server, workflow or task queue, on the same data and local repository."
          + " \"Overhead, transfer\" compares it with the workflow's own transfer (first file list or fetch scheduled to"
          + " last batch done, from the workflow history): what Temporal's dispatch costs. \"Overhead, whole\" compares"
          + " it with the whole workflow, which also checkpoints, stops the backup, waits for the WAL and makes a restore"
          + " point (a backup) or prepares the directory and writes the recovery settings (a restore).");
      s.add("");
    }
    if (!heaps.isEmpty()) {
      s.add("## Worker memory (-Xmx512m)");
      s.add("");
      s.add("| repository | peak heap used MB | most live after GC MB | heap committed MB | GCs | peak RSS MB | runs |");
      s.add("|---|---:|---:|---:|---:|---:|---|");
      for (WorkerHeap h : heaps) {
        s.add("| " + h.repository() + " | " + mb(h.heap().peakUsed()) + " | " + mb(h.heap().maxLive()) + " | "
            + mb(h.heap().committed()) + " | " + h.heap().collections() + " | " + mb(h.peakResidentBytes()) + " | "
            + h.runs() + " |");
      }
      s.add("");
      s.add("Peak heap used: the largest heap occupancy before any collection (-Xlog:gc), or at the end (jcmd"
          + " GC.heap_info) if larger. Peak RSS: the process's VmHWM, direct buffers and native zstd included.");
      s.add("");
    }
    if (!breakdowns.isEmpty()) {
      s.add("## Where Tidemark's time went (from the workflow histories)");
      s.add("");
      breakdowns.forEach(b -> s.add("- " + b));
      s.add("");
    }
    return String.join("\n", s);
  }

  private String table() {
    List<String> s = new ArrayList<>();
    s.add("| tool | operation | data set | seconds | MB/s | % of ceiling | × pgBackRest | stored MB (ratio) | CPU s |");
    s.add("|---|---|---|---:|---:|---:|---:|---:|---:|");
    for (Measurement m : ordered()) {
      Optional<Measurement> ceiling = ceiling(m.dataSet());
      Optional<Measurement> pgbr = find("pgbackrest", m.operation(), m.dataSet());
      String ofCeiling = ceiling.map(c -> String.format(Locale.ROOT, "%.0f %%", 100 * m.mbPerSecond() / c.mbPerSecond()))
          .orElse("");
      String vsPgbr = m.kind().equals("pgbackrest") || m.kind().equals("ceiling") || m.kind().equals("cpu") ? ""
          : pgbr.map(p -> String.format(Locale.ROOT, "%.2f×", m.mbPerSecond() / p.mbPerSecond())).orElse("");
      String stored = m.storedBytes() <= 0 ? ""
          : mb(m.storedBytes()) + String.format(Locale.ROOT, " (%.1f×)", (double) m.dataBytes() / m.storedBytes());
      String cpu = m.cpuSeconds() < 0 ? "" : String.format(Locale.ROOT, "%.1f", m.cpuSeconds());
      s.add(String.format(Locale.ROOT, "| %s | %s | %s | %.2f | %.0f | %s | %s | %s | %s |", m.tool(), m.operation(),
          m.dataSet(), m.seconds(), m.mbPerSecond(), ofCeiling, vsPgbr, stored, cpu));
    }
    return String.join("\n", s);
  }

  /** By data set (in the order they were built), then read, backup, restore, then tool in run order. */
  private List<Measurement> ordered() {
    List<String> sets = runs.stream().map(Measurement::dataSet).distinct().toList();
    List<String> operations = List.of("read", "backup", "restore");
    List<Measurement> sorted = new ArrayList<>(runs);
    sorted.sort(java.util.Comparator.comparingInt((Measurement m) -> sets.indexOf(m.dataSet()))
        .thenComparingInt(m -> operations.indexOf(m.operation())));
    return sorted;
  }

  /** The better of the data set's ceiling readings (first and last in the run). */
  private Optional<Measurement> ceiling(String dataSet) {
    return runs.stream().filter(m -> m.kind().equals("ceiling") && m.dataSet().equals(dataSet))
        .max(java.util.Comparator.comparingDouble(Measurement::mbPerSecond));
  }

  private Optional<Measurement> find(String kind, String operation, String dataSet) {
    return runs.stream().filter(m -> m.kind().equals(kind) && m.operation().equals(operation)
        && m.dataSet().equals(dataSet)).findFirst();
  }
}
