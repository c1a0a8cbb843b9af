package io.tidemark.workers.cli;

import io.tidemark.activities.wal.WalFetcher;
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
    return "usage: tidemark wal-fetch --cluster CLUSTER --node NODE NAME DESTINATION\n\n"
        + "Copies archived WAL file NAME of the node to DESTINATION; as restore_command (a restore writes it):\n"
        + "  restore_command = 'tidemark --config /etc/tidemark.yaml wal-fetch --cluster main --node pg1 %f %p'\n"
        + "Exit status: 0 fetched; 1, silently, when the archive has no such file (PostgreSQL asks for\n"
        + "files that do not exist as a matter of course); 255 for any other failure, which makes\n"
        + "PostgreSQL stop recovery rather than end it early as if the archive were exhausted.\n";
  }

  @Override
  public Set<String> options() {
    return Set.of("cluster", "node");
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
      WalFetcher.Outcome outcome = new WalFetcher(context.repository())
          .fetch(args.require("cluster"), args.require("node"), words.get(0), Path.of(words.get(1)));
      return outcome == WalFetcher.Outcome.FETCHED ? 0 : 1;
    } catch (Exception e) {
      context.err().println("tidemark wal-fetch: " + FailureMessages.of(e));
      return FATAL;
    }
  }
}
