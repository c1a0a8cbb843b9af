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

  /** A cluster's backup folders, each read once: the records, oldest first, and the folders without one. */
  public record Contents(List<BackupRecord> records, List<String> unrecorded) {}

  /** Every backup with a record, oldest first; folders without a record are unfinished and left out. */
  public List<BackupRecord> list(String cluster) throws IOException {
    return contents(cluster).records();
  }

  /**
   * Every folder with its record, and those without one: backups still running, or that ended
   * without one (a crash).
   */
  public Contents contents(String cluster) throws IOException {
    List<BackupRecord> records = new ArrayList<>();
    List<String> unrecorded = new ArrayList<>();
    for (String id : folders(cluster)) {
      Optional<BackupRecord> record = find(cluster, id);
      if (record.isPresent()) {
        records.add(record.get());
      } else {
        unrecorded.add(id);
      }
    }
    return new Contents(records, unrecorded);
  }

  /**
   * The newest completed backup. Ids sort by time, so this lists the folders' names only and reads
   * records from the newest back until one says completed: usually one or two reads, not one per
   * backup as {@link #list} makes.
   */
  public Optional<BackupRecord> newestCompleted(String cluster) throws IOException {
    List<String> ids = folders(cluster);
    ids.sort(Comparator.reverseOrder());
    for (String id : ids) {
      Optional<BackupRecord> record = find(cluster, id);
      if (record.isPresent() && record.get().isCompleted()) {
        return record;
      }
    }
    return Optional.empty();
  }

  /** The backup ids of a cluster: its folders' names, in key order. */
  private List<String> folders(String cluster) throws IOException {
    List<String> ids = new ArrayList<>();
    try (Stream<Listing> listing = repo.list(RepositoryLayout.backups(cluster))) {
      listing.filter(Listing::folder).forEach(f -> ids.add(f.name()));
    }
    return ids;
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
