package io.tidemark.activities.backup;

import io.temporal.client.ActivityCompletionException;
import io.temporal.failure.ApplicationFailure;
import io.tidemark.activities.postgres.BackupApi;
import io.tidemark.activities.postgres.BackupLabel;
import io.tidemark.activities.postgres.BackupSession;
import io.tidemark.activities.postgres.SessionRegistry;
import io.tidemark.activities.repository.Repository;
import io.tidemark.activities.repository.RepositoryLayout;
import io.tidemark.activities.runtime.ActivityErrors;
import io.tidemark.activities.runtime.Heartbeat;
import io.tidemark.workflows.Failures;
import io.tidemark.workflows.activities.SessionActivities;
import io.tidemark.workflows.model.Lsn;
import io.tidemark.workflows.model.WalFileName;
import java.sql.SQLException;
import java.time.Instant;

/** Activities on this process's session queue: they act on the connections it holds. */
public final class SessionActivitiesImpl implements SessionActivities {

  private static final long PING_INTERVAL_MILLIS = 3000;

  private final SessionRegistry sessions;
  private final Repository repo;

  public SessionActivitiesImpl(SessionRegistry sessions, Repository repo) {
    this.sessions = sessions;
    this.repo = repo;
  }

  @Override
  public StopBackupResult stopBackup(SessionRef ref) {
    return ActivityErrors.run(() -> {
      BackupSession session = held(ref);
      BackupApi.StopResult stop;
      try {
        stop = session.stop();
      } catch (IllegalStateException | SQLException e) {
        throw lost(session.describeInactive());
      }
      String nodePrefix = RepositoryLayout.node(ref.cluster(), ref.backupId(), ref.node());
      repo.put(nodePrefix + RepositoryLayout.backupLabel(ref.session()), stop.labelFile());
      if (stop.tablespaceMap() != null) {
        repo.put(nodePrefix + RepositoryLayout.tablespaceMap(ref.session()), stop.tablespaceMap());
      }
      int timeline = BackupLabel.parse(stop.labelFile()).startTimeline();
      long segment = WalFileName.previousSegmentNumber(Lsn.parse(stop.lsn()), session.walSegmentSize());
      return new StopBackupResult(stop.lsn(), WalFileName.segmentName(timeline, segment, session.walSegmentSize()),
          timeline, Instant.now().toString(), stop.tablespaceMap() != null);
    });
  }

  @Override
  public void watchSession(SessionRef ref) {
    ActivityErrors.runVoid(() -> {
      Heartbeat heartbeat = Heartbeat.ofCurrentActivity();
      BackupSession session = held(ref);
      while (true) {
        if (!session.ping()) {
          if (session.state() == BackupSession.State.STOPPED) {
            return;
          }
          throw lost(session.describeInactive());
        }
        try {
          heartbeat.beat(null);
        } catch (ActivityCompletionException cancelled) {
          // The workflow stopped watching: it has stopped the backup, or it is abandoning it.
          session.close();
          throw cancelled;
        }
        Thread.sleep(PING_INTERVAL_MILLIS);
      }
    });
  }

  @Override
  public void endSession(SessionRef ref) {
    sessions.find(ref.sessionId()).ifPresent(s -> {
      s.close();
      sessions.remove(s);
    });
  }

  private BackupSession held(SessionRef ref) {
    return sessions.find(ref.sessionId()).orElseThrow(() -> lost("backup session " + ref.sessionId()
        + " is not held by this process any more (closed as orphaned or too old; the worker log says why)"));
  }

  private static ApplicationFailure lost(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, Failures.SESSION_LOST);
  }
}
