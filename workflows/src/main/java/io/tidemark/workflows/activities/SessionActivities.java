package io.tidemark.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Activities bound to the backup session: they must run in the process that holds the PostgreSQL
 * connection on which the backup was started, so they go to that process's session queue. When the
 * process is gone, they are never picked up; their schedule-to-start timeout is how the workflow
 * learns that the session is lost.
 */
@ActivityInterface
public interface SessionActivities {

  /** Ends the backup on its connection and stores backup_label and tablespace_map. */
  @ActivityMethod(name = "StopBackup")
  StopBackupResult stopBackup(SessionRef session);

  /**
   * Runs for as long as the backup does, checking the connection; fails as soon as it breaks, so
   * a restarted server is noticed in seconds, not at the end of a long copy.
   */
  @ActivityMethod(name = "WatchSession")
  void watchSession(SessionRef session);

  /** Abandons the backup: closes the connection, which makes PostgreSQL end backup mode. */
  @ActivityMethod(name = "EndSession")
  void endSession(SessionRef session);

  record SessionRef(String sessionId, String cluster, String node, String backupId, int session) {}

  record StopBackupResult(
      String stopLsn, String stopWal, int timeline, String stopTime, boolean tablespaceMap) {}
}
