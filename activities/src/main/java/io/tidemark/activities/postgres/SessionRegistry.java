package io.tidemark.activities.postgres;

import io.tidemark.activities.runtime.DaemonThreads;
import io.tidemark.workflows.TaskQueues;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backup sessions this process holds, and the process's session queue. The queue name is new
 * at every start, so a restarted process never receives a StopBackup meant for its predecessor.
 *
 * <p>A reaper closes sessions that nobody claims: a session is claimed by its watcher every few
 * seconds, so one unclaimed for {@code orphanAfter} belongs to a workflow that is gone (terminated,
 * or a StartBackup whose result was lost); and no session lives longer than {@code maxAge}. Either
 * way no server is left in backup mode.
 */
public final class SessionRegistry implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SessionRegistry.class);

  private final String queue = TaskQueues.SESSION_PREFIX + UUID.randomUUID();
  private final Map<String, BackupSession> sessions = new ConcurrentHashMap<>();
  private final Duration maxAge;
  private final Duration orphanAfter;
  private final Clock clock;
  private final ScheduledExecutorService reaper;

  public SessionRegistry(Duration maxAge, Duration orphanAfter, Clock clock) {
    this.maxAge = maxAge;
    this.orphanAfter = orphanAfter;
    this.clock = clock;
    this.reaper = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("tidemark-session-reaper"));
    reaper.scheduleWithFixedDelay(this::reap, 30, 30, TimeUnit.SECONDS);
  }

  public String queue() {
    return queue;
  }

  public static String sessionId(String cluster, String backupId, String node, int session) {
    return cluster + "/" + backupId + "/" + node + "/s" + session;
  }

  /** Parks a started session; a session already parked under the same id is abandoned. */
  public BackupSession register(String id, String node, int versionNum, long walSegmentSize, Connection connection) {
    BackupSession session = new BackupSession(id, node, versionNum, walSegmentSize, connection, clock);
    BackupSession previous = sessions.put(id, session);
    if (previous != null) {
      log.warn("backup session {} started again; closing the earlier connection", id);
      previous.close();
    }
    return session;
  }

  public Optional<BackupSession> find(String id) {
    return Optional.ofNullable(sessions.get(id));
  }

  public void remove(BackupSession session) {
    sessions.remove(session.id(), session);
  }

  public int size() {
    return sessions.size();
  }

  /** Closes and forgets sessions that are too old or that no workflow watches any more. */
  void reap() {
    for (BackupSession s : sessions.values()) {
      boolean tooOld = s.age().compareTo(maxAge) > 0;
      boolean orphaned = s.unclaimedFor().compareTo(orphanAfter) > 0;
      if (tooOld || orphaned) {
        if (s.state() == BackupSession.State.ACTIVE) {
          log.warn("closing backup session {}: {}", s.id(),
              tooOld ? "it is older than " + maxAge : "no workflow has watched it for " + orphanAfter);
        }
        s.close();
        remove(s);
      }
    }
  }

  @Override
  public void close() {
    reaper.shutdownNow();
    sessions.values().forEach(BackupSession::close);
    sessions.clear();
  }
}
