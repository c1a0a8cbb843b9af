package io.tidemark.workers.temporal;

import com.uber.m3.tally.Scope;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.tidemark.activities.config.TemporalSettings;
import io.tidemark.workflows.json.StrictInputs;
import java.time.Duration;

/** A connection to the Temporal frontend named in the configuration. */
public final class TemporalConnection implements AutoCloseable {

  private final WorkflowServiceStubs stubs;
  private final WorkflowClient client;

  public TemporalConnection(TemporalSettings settings) {
    this(settings, null);
  }

  /** @param metricsScope where the SDK reports its client and worker metrics, or null for nowhere */
  public TemporalConnection(TemporalSettings settings, Scope metricsScope) {
    WorkflowServiceStubsOptions.Builder options = WorkflowServiceStubsOptions.newBuilder()
        .setTarget(settings.address())
        .setRpcTimeout(Duration.ofSeconds(30));
    if (metricsScope != null) {
      // Workers made from this client report through the same scope.
      options.setMetricsScope(metricsScope);
    }
    this.stubs = WorkflowServiceStubs.newServiceStubs(options.build());
    this.client = WorkflowClient.newInstance(stubs, WorkflowClientOptions.newBuilder()
        .setNamespace(settings.namespace())
        .setIdentity("tidemark@" + ProcessHandle.current().pid())
        .setDataConverter(StrictInputs.dataConverter())
        .build());
  }

  public WorkflowClient client() {
    return client;
  }

  public WorkflowServiceStubs stubs() {
    return stubs;
  }

  @Override
  public void close() {
    stubs.shutdown();
  }
}
