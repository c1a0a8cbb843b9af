package io.tidemark.activities.retention;

import io.tidemark.activities.repository.Listing;
import io.tidemark.activities.repository.Repository;
import io.tidemark.activities.repository.RepositoryLayout;
import io.tidemark.activities.runtime.Heartbeat;
import io.tidemark.workflows.activities.RetentionActivities.ExpiredBackup;
import io.tidemark.workflows.activities.RetentionActivities.Expiry;
import java.io.IOException;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Deletes one backup. The record goes first: from that moment no restore finds the backup, and a
 * crash leaves an unrecorded folder, which the next retention run removes.
 */
final class BackupDeleter {

  private final Repository repo;

  BackupDeleter(Repository repo) {
    this.repo = repo;
  }

  ExpiredBackup delete(String cluster, Expiry backup, boolean dryRun, Heartbeat heartbeat) throws IOException {
    Sweep sweep = new Sweep(repo, dryRun, heartbeat);
    String recordKey = RepositoryLayout.backupRecord(cluster, backup.backupId());
    OptionalLong recordSize = repo.size(recordKey);
    if (recordSize.isPresent()) {
      sweep.add(new Listing(recordKey, recordSize.getAsLong(), false));
      sweep.flush();
    }
    sweepFolder(RepositoryLayout.backup(cluster, backup.backupId()), recordKey, sweep);
    sweep.flush();
    return new ExpiredBackup(backup.backupId(), backup.status(), backup.reason(), sweep.objects(), sweep.bytes());
  }

  private void sweepFolder(String prefix, String recordKey, Sweep sweep) throws IOException {
    try (Stream<Listing> listing = repo.list(prefix)) {
      for (Listing entry : (Iterable<Listing>) listing::iterator) {
        if (entry.folder()) {
          sweepFolder(entry.key(), recordKey, sweep);
        } else if (!entry.key().equals(recordKey)) {
          sweep.add(entry);
        }
      }
    }
  }
}
