package io.tidemark.workers.cli;

import io.tidemark.infra.temporal.LocalTemporal;
import java.util.Set;

/** tidemark dev-server: the Temporal test server on a loopback port, in the foreground. */
public final class DevServerCommand implements Command {

  @Override
  public String name() {
    return "dev-server";
  }

  @Override
  public String summary() {
    return "run a local Temporal server (the SDK's test server, in memory) on 127.0.0.1";
  }

  @Override
  public String usage() {
    return "usage: tidemark dev-server [--port PORT]\n\n"
        + "Runs the Temporal Java SDK's test server on 127.0.0.1:PORT (default 7233) until stopped.\n"
        + "It keeps everything in memory: workflows are lost when it stops. It lacks schedules,\n"
        + "visibility queries and reset; use a real Temporal server in production.\n";
  }

  @Override
  public Set<String> options() {
    return Set.of("port");
  }

  @Override
  public int run(Args args, Context context) throws Exception {
    int port = args.integer("port") == null ? 7233 : args.integer("port");
    LocalTemporal server = LocalTemporal.start(port);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    context.out().println("Temporal test server listening on " + server.target() + " (in memory; Ctrl-C stops it)");
    context.out().flush();
    server.awaitTermination();
    return 0;
  }
}
