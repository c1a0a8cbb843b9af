package io.tidemark.workers.cli;

import io.tidemark.activities.postgres.ControlFile;
import io.tidemark.activities.config.WalSettings;
import io.tidemark.activities.wal.ArchiveGuard;
import io.tidemark.activities.wal.WalPushAhead;
import io.tidemark.activities.wal.WalPusher;
import io.tidemark.activities.wal.spool.WalSpool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** tidemark wal-push: PostgreSQL's archive_command. */
public final class WalPushCommand implements Command {

  @Override
  public String name() {
    return "wal-push";
  }

  @Override
  public String summary() {
    return "archive one WAL file (use as archive_command)";
  }

  @Override
  public String usage() {
    return "usage: tidemark wal-push --cluster CLUSTER --node NODE [--data-directory DIR] PATH\n\n"
        + "Stores one WAL file in the node's archive; as archive_command:\n"
        + "  archive_command = 'tidemark --config /etc/tidemark.yaml wal-push --cluster main --node pg1 %p'\n"
        + "An archived file is never overwritten: the same content again succeeds, different content\n"
        + "fails (exit 1) and keeps the archived copy. The archive is bound to the server's database\n"
        + "system identifier, read from DIR/global/pg_control (DIR defaults to the working directory,\n"
        + "which is the data directory when PostgreSQL runs the command).\n"
        + "With wal.pushAhead (default 8) it also archives, in parallel, the next files waiting in\n"
        + "pg_wal/archive_status and marks each in the spool once the repository confirmed it; a later\n"
        + "call for a marked file checks the mark (size and POSIX cksum) and succeeds at once.\n"
        + "How long each transfer took is added to the spool's push-stats, which the node's agent\n"
        + "(tidemark worker --node) exports as tidemark_wal_push_seconds.\n";
  }

  @Override
  public Set<String> options() {
    return Set.of("cluster", "node", "data-directory");
  }

  @Override
  public int run(Args args, Context context) throws Exception {
    List<String> paths = args.positional();
    if (paths.size() != 1) {
      throw new CliException("give exactly one WAL file path (%p in archive_command)");
    }
    String cluster = args.require("cluster");
    String node = args.require("node");
    context.config().requireNode(cluster, node);
    Path file = Path.of(paths.get(0));
    Path dataDirectory = Path.of(args.get("data-directory", "."));
    if (!Files.exists(ControlFile.of(dataDirectory))) {
      if (args.get("data-directory") != null) {
        throw new CliException("no PostgreSQL data directory at " + dataDirectory + " (global/pg_control is missing)");
      }
      dataDirectory = null; // run by hand outside a data directory: nothing to check the archive against
    }
    WalSettings wal = context.config().wal();
    if (dataDirectory == null) {
      // No server, so no spool to work ahead in or to note the transfer's time in.
      new WalPusher(context.repository(), context.config().repository().zstdLevel()).push(cluster, node, file, null);
      return 0;
    }
    String system = ControlFile.systemIdentifier(dataDirectory);
    // Opened with pushAhead 0 too: the spool also keeps the push times the node agent exports.
    WalSpool marks = WalSpool.open(WalSpool.root(wal, dataDirectory), WalSpool.PUSH, cluster, node, system);
    if (wal.pushAhead() > 0) {
      marks.enableLauncher(0);
    }
    WalPushAhead pushAhead = new WalPushAhead(marks, wal.pushAhead(), wal.threads());
    if (pushAhead.consumeMark(file)) {
      return 0; // archived by an earlier call, confirmed then; the repository is not even opened
    }
    new ArchiveGuard(context.repository()).check(cluster, node, system);
    WalPushAhead.Result result = pushAhead.push(
        new WalPusher(context.repository(), context.config().repository().zstdLevel()), cluster, node, file);
    if (!result.failedAhead().isEmpty()) {
      context.err().println("tidemark wal-push: warning: archiving " + result.failedAhead() + " ahead failed;"
          + " PostgreSQL will push them in turn (the spool's activity.log says why)");
    }
    return 0;
  }
}
