package io.tidemark.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import io.tidemark.workflows.model.RestorePoint;

/**
 * Activities that speak to every node of a cluster at once, run by the coordinator's agent (any
 * agent can: the workflow sends them to the coordinator's queue, which sees every node).
 */
@ActivityInterface
public interface CoordinatorActivities {

  /**
   * Makes one restore point on every node, as the cluster's flavor does it, with distributed
   * commits held back meanwhile, then switches every node to a new WAL file so the one holding
   * the restore point is archived. Each attempt uses a name of its own: a restore point an earlier
   * attempt left on some nodes only can never be mistaken for this one.
   */
  @ActivityMethod(name = "CreateRestorePoint")
  RestorePoint createRestorePoint(CreateRestorePointInput input);

  /** @param name the base name; the attempt number is appended from the second attempt on */
  record CreateRestorePointInput(String cluster, String name) {}
}
