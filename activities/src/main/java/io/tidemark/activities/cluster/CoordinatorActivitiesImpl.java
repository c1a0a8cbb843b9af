package io.tidemark.activities.cluster;

import io.temporal.activity.Activity;
import io.tidemark.activities.config.TidemarkConfig;
import io.tidemark.activities.runtime.ActivityErrors;
import io.tidemark.workflows.activities.CoordinatorActivities;
import io.tidemark.workflows.model.RestorePoint;

/** The coordinator agent's cluster-wide activities. */
public final class CoordinatorActivitiesImpl implements CoordinatorActivities {

  private final RestorePointMaker restorePoints;

  public CoordinatorActivitiesImpl(TidemarkConfig config) {
    this.restorePoints = new RestorePointMaker(config);
  }

  @Override
  public RestorePoint createRestorePoint(CreateRestorePointInput in) {
    int attempt = Activity.getExecutionContext().getInfo().getAttempt();
    return ActivityErrors.run(() -> restorePoints.make(in.cluster(), in.name(), attempt));
  }
}
