package io.tidemark.workers.cli;

import java.util.Set;

/** One {@code tidemark} subcommand. */
public interface Command {

  String name();

  /** One line for the command list. */
  String summary();

  /** The full --help text. */
  String usage();

  /** Options that take a value (besides the common --config). */
  Set<String> options();

  /** Options that take no value (besides the common --help). */
  default Set<String> flags() {
    return Set.of();
  }

  /** Exit status for a mistake in how the command was called. */
  default int usageErrorStatus() {
    return 2;
  }

  /** @return the process exit status */
  int run(Args args, Context context) throws Exception;
}
