package io.tidemark.workers.cli;

import io.tidemark.infra.postgres.PostgresBinaries;
import io.tidemark.workers.quickstart.Quickstart;
import java.nio.file.Path;
import java.util.Set;

/** tidemark quickstart: everything on this machine, end to end. */
public final class QuickstartCommand implements Command {

  @Override
  public String name() {
    return "quickstart";
  }

  @Override
  public String summary() {
    return "demo on this machine: local Temporal, S3 and PostgreSQL, then a backup";
  }

  @Override
  public String usage() {
    return "usage: tidemark quickstart [--dir DIR] [--pg-version MAJOR | --pg-bin DIR]\n\n"
        + "Starts a local Temporal server, a local S3 server and a PostgreSQL cluster with demo data,\n"
        + "runs a worker, backs the cluster up through Temporal into S3 and shows the result. Everything\n"
        + "runs on 127.0.0.1 and stops at the end; the S3 store and the configuration stay in DIR\n"
        + "(default ./.tidemark/quickstart) for you to look at.\n\n"
        + "  --pg-version MAJOR  bundled PostgreSQL 13 to 18 (default 17)\n"
        + "  --pg-bin DIR        the system's own binaries instead, for example /usr/lib/postgresql/15/bin\n";
  }

  @Override
  public Set<String> options() {
    return Set.of("dir", "pg-version", "pg-bin");
  }

  @Override
  public int run(Args args, Context context) throws Exception {
    Path dir = Path.of(args.get("dir", ".tidemark/quickstart")).toAbsolutePath();
    if (args.get("pg-bin") != null && args.get("pg-version") != null) {
      throw new CliException("give --pg-version or --pg-bin, not both");
    }
    Path bin = args.get("pg-bin") != null ? Path.of(args.get("pg-bin")) : null;
    int major = bin != null ? PostgresBinaries.majorOf(bin)
        : args.integer("pg-version") == null ? 17 : args.integer("pg-version");
    if (bin == null) {
      bin = PostgresBinaries.bundled(major);
    }
    return new Quickstart(dir, bin, major, context.out()).run();
  }
}
