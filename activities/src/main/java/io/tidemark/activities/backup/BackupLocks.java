package io.tidemark.activities.backup;

import io.temporal.failure.ApplicationFailure;
import io.tidemark.activities.Json;
import io.tidemark.activities.repository.NoSuchObjectException;
import io.tidemark.activities.repository.ObjectExistsException;
import io.tidemark.activities.repository.ObjectWriter;
import io.tidemark.activities.repository.Repository;
import io.tidemark.activities.repository.RepositoryLayout;
import io.tidemark.workflows.Failures;
import io.tidemark.workflows.activities.ClusterActivities.BackupLock;
import java.io.IOException;

/**
 * One backup at a time per cluster, whoever started it: a lock object created atomically in the
 * repository. A lock left by a workflow that is no longer running is stale and taken over.
 */
final class BackupLocks {

  private static final int ATTEMPTS = 5;

  private final Repository repo;
  private final WorkflowLiveness liveness;

  BackupLocks(Repository repo, WorkflowLiveness liveness) {
    this.repo = repo;
    this.liveness = liveness;
  }

  boolean acquire(BackupLock lock) throws IOException {
    String key = RepositoryLayout.backupLock(lock.cluster());
    for (int i = 0; i < ATTEMPTS; i++) {
      BackupLock holder = read(key);
      if (holder == null) {
        if (repo.hasAny(RepositoryLayout.backup(lock.cluster(), lock.backupId()))) {
          return false;
        }
        try (ObjectWriter w = repo.createIfAbsent(key, -1)) {
          w.write(Json.prettyBytes(lock));
          w.commit();
          return true;
        } catch (ObjectExistsException raced) {
          continue;
        }
      }
      if (holder.workflowId().equals(lock.workflowId()) && holder.runId().equals(lock.runId())) {
        return holder.backupId().equals(lock.backupId()) || takeOver(key, lock);
      }
      if (liveness.isRunning(holder.workflowId(), holder.runId())) {
        String running = BackupLock.RETENTION.equals(holder.backupId())
            ? "a retention run of cluster " + lock.cluster() + " is running"
            : "a backup of cluster " + lock.cluster() + " is already running: backup " + holder.backupId();
        throw ApplicationFailure.newNonRetryableFailure(running + ", workflow " + holder.workflowId()
            + ". Wait for it to finish, or cancel it.", Failures.BACKUP_IN_PROGRESS);
      }
      repo.delete(key);
      if (holder.backupId().equals(lock.backupId())) {
        // The stale holder started in the same second: its id is ours. Its children may still be
        // ending under that id, so ask the workflow to come back with the next second's.
        return false;
      }
    }
    throw new IOException("could not take the backup lock of cluster " + lock.cluster() + " after " + ATTEMPTS + " tries");
  }

  /** Our own run asks again for a new backup id (the first was taken): swap the lock's content. */
  private boolean takeOver(String key, BackupLock lock) throws IOException {
    if (repo.hasAny(RepositoryLayout.backup(lock.cluster(), lock.backupId()))) {
      return false;
    }
    repo.put(key, Json.prettyBytes(lock));
    return true;
  }

  void release(BackupLock lock) throws IOException {
    String key = RepositoryLayout.backupLock(lock.cluster());
    BackupLock holder = read(key);
    if (holder != null && holder.workflowId().equals(lock.workflowId()) && holder.runId().equals(lock.runId())) {
      repo.delete(key);
    }
  }

  private BackupLock read(String key) throws IOException {
    try {
      return Json.read(repo.readAllBytes(key), BackupLock.class);
    } catch (NoSuchObjectException absent) {
      return null;
    }
  }
}
