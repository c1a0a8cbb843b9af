package io.tidemark.activities.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The connection on which a backup was started, parked in the worker process until the backup is
 * stopped. PostgreSQL ends the backup if this connection closes, so it is guarded: one statement at
 * a time, pinged by the watcher, closed when nobody claims it.
 */
public final class BackupSession {

  public enum State { ACTIVE, STOPPED, BROKEN, CLOSED }

  private final String id;
  private final String node;
  private final int versionNum;
  private final long walSegmentSize;
  private final Connection connection;
  private final Instant opened;
  private final Clock clock;
  private final ReentrantLock lock = new ReentrantLock();
  private volatile State state = State.ACTIVE;
  private volatile String brokenReason;
  private volatile Instant lastClaimed;
  private volatile BackupApi.StopResult stopResult;

  BackupSession(String id, String node, int versionNum, long walSegmentSize, Connection connection, Clock clock) {
    this.id = id;
    this.node = node;
    this.versionNum = versionNum;
    this.walSegmentSize = walSegmentSize;
    this.connection = connection;
    this.clock = clock;
    this.opened = clock.instant();
    this.lastClaimed = opened;
  }

  public String id() {
    return id;
  }

  public String node() {
    return node;
  }

  public long walSegmentSize() {
    return walSegmentSize;
  }

  public State state() {
    return state;
  }

  public String brokenReason() {
    return brokenReason;
  }

  Duration age() {
    return Duration.between(opened, clock.instant());
  }

  Duration unclaimedFor() {
    return Duration.between(lastClaimed, clock.instant());
  }

  /**
   * Checks the connection still answers, unless a statement (the stop) is running on it. A
   * failure marks the session broken: the backup on it is void.
   *
   * @return false if the session is no longer active
   */
  public boolean ping() {
    lastClaimed = clock.instant();
    if (state != State.ACTIVE) {
      return false;
    }
    if (!lock.tryLock()) {
      return true;
    }
    try {
      if (state != State.ACTIVE) {
        return false;
      }
      try (Statement st = connection.createStatement()) {
        st.setQueryTimeout(15);
        st.execute("SELECT 1");
        return true;
      } catch (SQLException e) {
        brokenReason = "the connection to node " + node + " broke: " + e.getMessage();
        state = State.BROKEN;
        closeQuietly();
        return false;
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops the backup on this connection and closes it. Asked again (a retried StopBackup whose
   * first answer was lost), it returns the same result.
   */
  public BackupApi.StopResult stop() throws SQLException {
    lastClaimed = clock.instant();
    lock.lock();
    try {
      if (state == State.STOPPED) {
        return stopResult;
      }
      if (state != State.ACTIVE) {
        throw new IllegalStateException(describeInactive());
      }
      BackupApi.StopResult result = BackupApi.stop(connection, versionNum);
      stopResult = result;
      state = State.STOPPED;
      closeQuietly();
      return result;
    } catch (SQLException e) {
      brokenReason = "stopping the backup failed on node " + node + ": " + e.getMessage();
      state = State.BROKEN;
      closeQuietly();
      throw e;
    } finally {
      lock.unlock();
    }
  }

  /** Abandons the backup: closing the connection makes PostgreSQL end backup mode. */
  public void close() {
    lock.lock();
    try {
      if (state == State.ACTIVE) {
        state = State.CLOSED;
      }
      closeQuietly();
    } finally {
      lock.unlock();
    }
  }

  public String describeInactive() {
    switch (state) {
      case STOPPED:
        return "backup session " + id + " was already stopped";
      case BROKEN:
        return "backup session " + id + " is lost: " + brokenReason;
      default:
        return "backup session " + id + " was closed";
    }
  }

  private void closeQuietly() {
    try {
      connection.close();
    } catch (SQLException ignored) {
      // closing is all that matters, and it happened or the connection was already gone
    }
  }
}
