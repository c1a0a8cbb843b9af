package io.tidemark.workers.cli;

import io.tidemark.activities.config.WalSettings;
import io.tidemark.activities.postgres.ControlFile;
import io.tidemark.activities.wal.WalFetcher;
import io.tidemark.activities.wal.WalPrefetcher;
import io.tidemark.activities.wal.spool.WalSpool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** tidemark wal-fetch: PostgreSQL's restore_command. */
public final class WalFetchCommand implements Command {

  /** PostgreSQL ends recovery on a status above 125 instead of taking the file for missing. */
  static final int FATAL = 255;

  @Override
  public String name() {
    return "wal-fetch";
  }

  @Override
  public String summary() {
    return "fetch one archived WAL file (use as restore_command)";
  }

  @Override
  public String usage() {
    return "usage: tidemark wal-fetch --cluster CLUSTER --node NODE [--data-directory DIR] NAME DESTINATION\n\n"
        + "Copies archived WAL file NAME of the node to DESTINATION; as restore_command (a restore writes it):\n"
        + "  restore_command = 'tidemark --config /etc/tidemark.yaml wal-fetch --cluster main --node pg1 %f %p'\n"
        + "Exit status: 0 fetched; 1, silently, when the archive has no such file (PostgreSQL asks for\n"
        + "files that do not exist as a matter of course); 255 for any other failure, which makes\n"
        + "PostgreSQL stop recovery rather than end it early as if the archive were exhausted.\n"
        + "With wal.prefetch (default 8) it also fetches the next segments, in parallel, into a spool\n"
        + "keyed to the server's database system (DIR/global/pg_control; DIR defaults to the working\n"
        + "directory, the data directory when PostgreSQL runs the command); later calls are served from\n"
        + "it once a spooled file's size and CRC-32C check out.\n";
  }

  @Override
  public Set<String> options() {
    return Set.of("cluster", "node", "data-directory");
  }

  @Override
  public int usageErrorStatus() {
    return FATAL;
  }

  @Override
  public int run(Args args, Context context) {
    try {
      List<String> words = args.positional();
      if (words.size() != 2) {
        throw new CliException("give the WAL file name and the destination path (%f %p in restore_command)");
      }
      String cluster = args.require("cluster");
      String node = args.require("node");
      String name = words.get(0);
      Path destination = Path.of(words.get(1));
      WalSettings wal = context.config().wal();
      Path dataDirectory = Path.of(args.get("data-directory", "."));
      WalFetcher fetcher = new WalFetcher(context::repository);
      if (wal.prefetch() == 0 || !Files.exists(ControlFile.of(dataDirectory))) {
        // run by hand outside a data directory: no system to key a spool to
        return fetcher.fetch(cluster, node, name, destination) == WalFetcher.Outcome.FETCHED ? 0 : 1;
      }
      WalSpool spool = WalSpool.open(WalSpool.root(wal, dataDirectory), WalSpool.FETCH, cluster, node,
          ControlFile.systemIdentifier(dataDirectory));
      spool.enableLauncher(wal.prefetch() / 2);
      WalPrefetcher.Result result = new WalPrefetcher(fetcher, spool, wal.prefetch(), wal.threads())
          .fetch(cluster, node, name, destination);
      return result.outcome() == WalFetcher.Outcome.FETCHED ? 0 : 1;
    } catch (Exception e) {
      context.err().println("tidemark wal-fetch: " + FailureMessages.of(e));
      return FATAL;
    }
  }
}
