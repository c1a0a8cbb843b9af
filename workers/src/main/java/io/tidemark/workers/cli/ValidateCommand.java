package io.tidemark.workers.cli;

import io.tidemark.activities.backup.BackupCatalog;
import io.tidemark.activities.validate.BackupValidator;
import io.tidemark.activities.validate.ValidationReport;
import io.tidemark.workflows.model.BackupRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** tidemark validate: checks backups in the repository without restoring them. */
public final class ValidateCommand implements Command {

  @Override
  public String name() {
    return "validate";
  }

  @Override
  public String summary() {
    return "check a backup and its WAL in the repository, without restoring";
  }

  @Override
  public String usage() {
    return "usage: tidemark validate --cluster CLUSTER [--backup ID | --all] [--parallelism N] [--output text|json]\n\n"
        + "Reads back every stored file of the backup (default: the newest completed one) and checks its size\n"
        + "and CRC-32C; checks backup_label and the backup_manifest's own checksum; checks that every WAL\n"
        + "segment from the backup's start to its end is archived and decodes, and that the WAL archived\n"
        + "after it, later timelines included, has no gaps. Exits 1 naming every damaged or missing object\n"
        + "and every WAL gap; 0 when all is well.\n";
  }

  @Override
  public Set<String> options() {
    return Set.of("cluster", "backup", "parallelism", "output");
  }

  @Override
  public Set<String> flags() {
    return Set.of("all");
  }

  @Override
  public int run(Args args, Context context) throws Exception {
    Output output = context.output(args);
    String cluster = args.require("cluster");
    context.config().requireCluster(cluster);
    BackupCatalog catalog = new BackupCatalog(context.repository());
    List<BackupRecord> backups = new ArrayList<>();
    if (args.get("backup") != null) {
      backups.add(catalog.find(cluster, args.get("backup")).orElseThrow(() -> new CliException("no backup "
          + args.get("backup") + " of cluster " + cluster + "; tidemark show --cluster " + cluster + " lists them")));
    } else {
      List<BackupRecord> completed = catalog.list(cluster).stream().filter(BackupRecord::isCompleted).toList();
      if (args.flag("all")) {
        backups.addAll(completed);
      } else if (!completed.isEmpty()) {
        backups.add(completed.get(completed.size() - 1));
      }
    }
    int parallelism = args.integer("parallelism") == null ? 4 : args.integer("parallelism");
    BackupValidator validator = new BackupValidator(context.repository(), parallelism);
    List<ValidationReport> reports = new ArrayList<>();
    for (BackupRecord b : backups) {
      reports.add(validator.validate(b));
    }
    if (output.json()) {
      output.json(reports);
    } else if (reports.isEmpty()) {
      output.line("no completed backups of cluster " + cluster + " to validate");
    } else {
      for (ValidationReport r : reports) {
        output.line("backup " + r.backupId() + " of cluster " + r.cluster() + ": " + r.files() + " files ("
            + Output.bytes(r.bytes()) + ") in " + r.objects() + " objects and " + r.walSegments()
            + " WAL segments read back; newest WAL " + String.join(", ", r.walNewest()));
        if (r.ok()) {
          output.line("  OK");
        }
        for (ValidationReport.Problem p : r.problems()) {
          output.line("  " + p.kind().toUpperCase().replace('-', ' ') + " on node " + p.node() + ": " + p.subject() + ": "
              + p.detail());
        }
      }
    }
    return reports.stream().allMatch(ValidationReport::ok) ? 0 : 1;
  }
}
