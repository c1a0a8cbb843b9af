package io.tidemark.activities.backup;

import io.tidemark.activities.Json;
import io.tidemark.activities.repository.Listing;
import io.tidemark.activities.repository.NoSuchObjectException;
import io.tidemark.activities.repository.Repository;
import io.tidemark.activities.repository.RepositoryLayout;
import io.tidemark.workflows.model.BackupRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The backups of a cluster, as their records in the repository say. */
public final class BackupCatalog {

  private final Repository repo;

  public BackupCatalog(Repository repo) {
    this.repo = repo;
  }

  /** Every backup with a record, oldest first; folders without a record are unfinished and left out. */
  public List<BackupRecord> list(String cluster) throws IOException {
    List<BackupRecord> records = new ArrayList<>();
    try (Stream<Listing> folders = repo.list(RepositoryLayout.backups(cluster))) {
      for (Listing folder : (Iterable<Listing>) folders::iterator) {
        if (folder.folder()) {
          find(cluster, folder.name()).ifPresent(records::add);
        }
      }
    }
    return records;
  }

  /** Backup folders without a record: backups still running, or that ended without one (a crash). */
  public List<String> unrecorded(String cluster) throws IOException {
    List<String> folders = new ArrayList<>();
    try (Stream<Listing> listing = repo.list(RepositoryLayout.backups(cluster))) {
      for (Listing folder : (Iterable<Listing>) listing::iterator) {
        if (folder.folder() && !repo.exists(RepositoryLayout.backupRecord(cluster, folder.name()))) {
          folders.add(folder.name());
        }
      }
    }
    return folders;
  }

  /**
   * The newest completed backup. Ids sort by time, so this lists the folders' names only and reads
   * records from the newest back until one says completed: usually one or two reads, not one per
   * backup as {@link #list} makes.
   */
  public Optional<BackupRecord> newestCompleted(String cluster) throws IOException {
    List<String> ids = new ArrayList<>();
    try (Stream<Listing> folders = repo.list(RepositoryLayout.backups(cluster))) {
      folders.filter(Listing::folder).forEach(f -> ids.add(f.name()));
    }
    ids.sort(Comparator.reverseOrder());
    for (String id : ids) {
      Optional<BackupRecord> record = find(cluster, id);
      if (record.isPresent() && record.get().isCompleted()) {
        return record;
      }
    }
    return Optional.empty();
  }

  public Optional<BackupRecord> find(String cluster, String backupId) throws IOException {
    try {
      return Optional.of(Json.read(repo.readAllBytes(RepositoryLayout.backupRecord(cluster, backupId)), BackupRecord.class));
    } catch (NoSuchObjectException absent) {
      return Optional.empty();
    }
  }

  /** Writes the record; a failed backup that left nothing behind is not recorded. */
  public boolean commit(BackupRecord record) throws IOException {
    String folder = RepositoryLayout.backup(record.cluster(), record.id());
    if (!record.isCompleted() && !repo.hasAny(folder)) {
      return false;
    }
    repo.put(RepositoryLayout.backupRecord(record.cluster(), record.id()), Json.prettyBytes(record));
    return true;
  }
}
