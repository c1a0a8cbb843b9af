package io.tidemark.workflows.schedule;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import io.tidemark.workflows.retention.RetentionRequest;
import io.tidemark.workflows.retention.RetentionResult;

/**
 * One scheduled retention run, for Temporal servers without the Schedules API: a cron workflow
 * (type {@value #TYPE}, task queue {@code tidemark}) whose every run applies the cluster's
 * retention through {@code ClusterRetention}. Where the server has Schedules, the Schedule starts
 * ClusterRetention itself.
 */
@WorkflowInterface
public interface ScheduledRetentionWorkflow {

  String TYPE = "ScheduledRetention";

  /** @return the run's result, with a failure in {@code skipped}: a failed cron run would not be started again */
  @WorkflowMethod(name = TYPE)
  RetentionResult run(RetentionRequest request);
}
