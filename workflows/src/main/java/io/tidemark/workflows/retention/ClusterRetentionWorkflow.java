package io.tidemark.workflows.retention;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Expires a cluster's old backups and the WAL no kept backup needs, by the cluster's retention
 * policy (or the request's). Start it by type name {@value #TYPE} on task queue {@code tidemark}
 * with one JSON {@link RetentionRequest}. It takes the cluster's backup lock: a run that finds a
 * backup running is skipped (a backup of a cluster with a policy expires after itself anyway).
 */
@WorkflowInterface
public interface ClusterRetentionWorkflow {

  String TYPE = "ClusterRetention";

  @WorkflowMethod(name = TYPE)
  RetentionResult expire(RetentionRequest request);
}
