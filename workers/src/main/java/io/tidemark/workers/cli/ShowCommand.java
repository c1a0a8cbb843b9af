package io.tidemark.workers.cli;

import io.tidemark.activities.backup.BackupCatalog;
import io.tidemark.workflows.model.BackupRecord;
import io.tidemark.workflows.model.NodeBackupRecord;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** tidemark show: the backups of a cluster, from the repository. */
public final class ShowCommand implements Command {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  @Override
  public String name() {
    return "show";
  }

  @Override
  public String summary() {
    return "list a cluster's backups";
  }

  @Override
  public String usage() {
    return "usage: tidemark show --cluster CLUSTER [--backup ID] [--output text|json]\n\n"
        + "Lists the cluster's backups, oldest first, as their records in the repository say:\n"
        + "id, status, WAL range, start time, duration, files and bytes. With --backup, one\n"
        + "backup with every node's details.\n";
  }

  @Override
  public Set<String> options() {
    return Set.of("cluster", "backup", "output");
  }

  @Override
  public int run(Args args, Context context) throws Exception {
    Output output = context.output(args);
    String cluster = args.require("cluster");
    context.config().requireCluster(cluster);
    BackupCatalog catalog = new BackupCatalog(context.repository());
    List<BackupRecord> records;
    if (args.get("backup") != null) {
      records = new ArrayList<>();
      records.add(catalog.find(cluster, args.get("backup")).orElseThrow(() -> new CliException(
          "no backup " + args.get("backup") + " of cluster " + cluster + " in " + context.repository().describe()
              + "; tidemark show --cluster " + cluster + " lists them")));
    } else {
      records = catalog.list(cluster);
    }
    if (output.json()) {
      output.json(records);
      return 0;
    }
    if (records.isEmpty()) {
      output.line("no backups of cluster " + cluster + " in " + context.repository().describe());
      return 0;
    }
    output.line(String.format("%-17s %-9s %-19s %-19s %-19s %9s %8s %10s %10s", "ID", "STATUS", "START LSN", "STOP LSN",
        "STARTED (UTC)", "DURATION", "FILES", "SIZE", "STORED"));
    for (BackupRecord r : records) {
      NodeBackupRecord first = r.nodes().isEmpty() ? null : r.nodes().get(0);
      boolean one = r.nodes().size() == 1;
      output.line(String.format("%-17s %-9s %-19s %-19s %-19s %9s %8d %10s %10s", r.id(), r.status(),
          one ? nz(first.startLsn()) : "-", one ? nz(first.stopLsn()) : "-", TIME.format(Instant.parse(r.startTime())),
          Output.duration(r.durationMillis()), r.totalFiles(), Output.bytes(r.totalBytes()), Output.bytes(r.totalStoredBytes())));
      if (!one || args.get("backup") != null) {
        for (NodeBackupRecord n : r.nodes()) {
          output.line(String.format("  node %-11s %-9s %-19s %-19s WAL %s..%s  %d files %s%s", n.node(), n.status(),
              nz(n.startLsn()), nz(n.stopLsn()), nz(n.startWal()), nz(n.stopWal()), n.files(), Output.bytes(n.bytes()),
              n.error() == null ? "" : "  error: " + n.error()));
        }
      }
      if (r.restorePoint() != null && (!one || args.get("backup") != null)) {
        output.line("  restore point " + r.restorePoint().name() + ": " + r.restorePoint().nodes().stream()
            .map(p -> p.node() + " at " + p.lsn()).collect(Collectors.joining(", ")));
      }
      if (r.error() != null) {
        output.line("  error: " + r.error());
      }
      for (NodeBackupRecord n : r.nodes()) {
        if (n.session() > 1 || (n.reuse() != null && n.reuse().resentBytes() > 0)) {
          output.line("  node " + n.node() + " survived crashes: made by session " + n.session()
              + (n.reuse() == null ? "" : ", " + n.reuse().reusedFiles() + " files (" + Output.bytes(n.reuse().reusedBytes())
                  + ") reused from lost sessions, " + Output.bytes(n.reuse().resentBytes()) + " sent again"));
        }
        if (n.corruptPages() > 0) {
          output.line("  WARNING: node " + n.node() + " had " + n.corruptPages() + " data page(s) whose checksum failed"
              + " when copied: " + String.join(", ", n.corruptPageSamples())
              + (n.corruptPages() > n.corruptPageSamples().size() ? ", ..." : ""));
        }
      }
    }
    return 0;
  }

  private static String nz(String s) {
    return s == null ? "-" : s;
  }
}
