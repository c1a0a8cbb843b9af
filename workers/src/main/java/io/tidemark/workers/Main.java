package io.tidemark.workers;

import io.tidemark.activities.config.ConfigException;
import io.tidemark.workers.cli.AbandonNodeCommand;
import io.tidemark.workers.cli.Args;
import io.tidemark.workers.cli.BackupCommand;
import io.tidemark.workers.cli.CliException;
import io.tidemark.workers.cli.Command;
import io.tidemark.workers.cli.Context;
import io.tidemark.workers.cli.DevServerCommand;
import io.tidemark.workers.cli.ExpireCommand;
import io.tidemark.workers.cli.FailureMessages;
import io.tidemark.workers.cli.QuickstartCommand;
import io.tidemark.workers.cli.RestoreCommand;
import io.tidemark.workers.cli.RetryNodeCommand;
import io.tidemark.workers.cli.ScheduleCommand;
import io.tidemark.workers.cli.ShowCommand;
import io.tidemark.workers.cli.StatusCommand;
import io.tidemark.workers.cli.ValidateCommand;
import io.tidemark.workers.cli.WalFetchCommand;
import io.tidemark.workers.cli.WalPushCommand;
import io.tidemark.workers.cli.WorkerCommand;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The {@code tidemark} command: dispatches to one subcommand. */
public final class Main {

  static final List<Command> COMMANDS = List.of(new QuickstartCommand(), new DevServerCommand(),
      new WorkerCommand(), new BackupCommand(), new RestoreCommand(), new StatusCommand(), new RetryNodeCommand(),
      new AbandonNodeCommand(), new ScheduleCommand(), new ExpireCommand(), new ShowCommand(), new ValidateCommand(),
      new WalPushCommand(), new WalFetchCommand());

  private Main() {}

  public static void main(String[] argv) {
    System.exit(run(argv, System.out, System.err));
  }

  public static int run(String[] argv, PrintStream out, PrintStream err) {
    List<String> words = new ArrayList<>(Arrays.asList(argv));
    String config = takeGlobalConfig(words);
    if (words.isEmpty() || words.get(0).equals("--help") || words.get(0).equals("help")) {
      out.print(overview());
      return words.isEmpty() ? 2 : 0;
    }
    Optional<Command> found = COMMANDS.stream().filter(c -> c.name().equals(words.get(0))).findFirst();
    if (found.isEmpty()) {
      err.println("tidemark: unknown command '" + words.get(0) + "'\n");
      err.print(overview());
      return 2;
    }
    Command command = found.get();
    List<String> rest = words.subList(1, words.size());
    if (rest.contains("--help")) {
      out.print(command.usage());
      return 0;
    }
    try {
      Set<String> valued = new HashSet<>(command.options());
      valued.add("config");
      Args args = Args.parse(rest, valued, command.flags());
      try (Context context = new Context(args.get("config", config), out, err)) {
        return command.run(args, context);
      }
    } catch (CliException | ConfigException e) {
      err.println("tidemark " + command.name() + ": " + e.getMessage());
      return command.usageErrorStatus();
    } catch (Exception e) {
      err.println("tidemark " + command.name() + ": " + FailureMessages.of(e));
      if (System.getenv("TIDEMARK_DEBUG") != null) {
        e.printStackTrace(err);
      }
      return 1;
    }
  }

  /** --config FILE may also come before the command. */
  private static String takeGlobalConfig(List<String> words) {
    if (words.size() >= 2 && words.get(0).equals("--config")) {
      String config = words.get(1);
      words.subList(0, 2).clear();
      return config;
    }
    if (!words.isEmpty() && words.get(0).startsWith("--config=")) {
      return words.remove(0).substring("--config=".length());
    }
    return null;
  }

  static String overview() {
    StringBuilder s = new StringBuilder();
    s.append("tidemark: backup and restore for PostgreSQL, as durable Temporal workflows\n\n");
    s.append("usage: tidemark [--config FILE] COMMAND [OPTIONS]   (tidemark COMMAND --help for more)\n\n");
    for (Command c : COMMANDS) {
      s.append(String.format("  %-12s %s%n", c.name(), c.summary()));
    }
    s.append("\nThe configuration is --config FILE, else $TIDEMARK_CONFIG, else ./tidemark.yaml.\n");
    return s.toString();
  }
}
