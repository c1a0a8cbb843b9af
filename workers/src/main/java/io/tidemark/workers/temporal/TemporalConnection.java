package io.tidemark.workers.temporal;

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
    this.stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
        .setTarget(settings.address())
        .setRpcTimeout(Duration.ofSeconds(30))
        .build());
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
