package io.tidemark.workers.cli;

import com.uber.m3.tally.Scope;
import io.temporal.client.WorkflowClient;
import io.tidemark.activities.config.ConfigLoader;
import io.tidemark.activities.config.TidemarkConfig;
import io.tidemark.activities.repository.Repositories;
import io.tidemark.activities.repository.Repository;
import io.tidemark.workers.temporal.TemporalConnection;
import java.io.PrintStream;
import java.nio.file.Path;

/** What commands share, each made on first use: configuration, repository, Temporal client. */
public final class Context implements AutoCloseable {

  private final String configOption;
  private final PrintStream out;
  private final PrintStream err;
  private TidemarkConfig config;
  private Path configPath;
  private Repository repository;
  private TemporalConnection temporal;

  public Context(String configOption, PrintStream out, PrintStream err) {
    this.configOption = configOption;
    this.out = out;
    this.err = err;
  }

  public TidemarkConfig config() {
    if (config == null) {
      ConfigLoader loader = ConfigLoader.fromSystemEnvironment();
      configPath = loader.locate(configOption).toAbsolutePath();
      config = loader.load(configPath);
    }
    return config;
  }

  public Path configPath() {
    config();
    return configPath;
  }

  public Repository repository() {
    if (repository == null) {
      repository = Repositories.open(config().repository());
    }
    return repository;
  }

  public WorkflowClient client() {
    return temporal().client();
  }

  public TemporalConnection temporal() {
    return temporal(null);
  }

  /**
   * The connection, made on first use with the SDK's metrics going to {@code metricsScope}
   * (null: nowhere). Only the first call's scope counts.
   */
  public TemporalConnection temporal(Scope metricsScope) {
    if (temporal == null) {
      temporal = new TemporalConnection(config().temporal(), metricsScope);
    }
    return temporal;
  }

  public PrintStream out() {
    return out;
  }

  public PrintStream err() {
    return err;
  }

  public Output output(Args args) {
    return new Output(out, Output.format(args.get("output")));
  }

  @Override
  public void close() throws Exception {
    if (temporal != null) {
      temporal.close();
    }
    if (repository != null) {
      repository.close();
    }
  }
}
