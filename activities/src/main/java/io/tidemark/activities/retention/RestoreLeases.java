package io.tidemark.activities.retention;

import io.tidemark.activities.Json;
import io.tidemark.activities.backup.WorkflowLiveness;
import io.tidemark.activities.repository.Listing;
import io.tidemark.activities.repository.NoSuchObjectException;
import io.tidemark.activities.repository.Repository;
import io.tidemark.activities.repository.RepositoryLayout;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Which backups running restores read. ResolveRestore leaves a lease naming its backup; retention
 * keeps a backup while the workflow of a lease on it runs, and removes leases of ended workflows.
 */
public final class RestoreLeases {

  /** One restore's claim on a backup. */
  public record Lease(String backupId, String workflowId, String runId) {}

  private final Repository repo;

  public RestoreLeases(Repository repo) {
    this.repo = repo;
  }

  public void take(String cluster, Lease lease) throws IOException {
    repo.put(RepositoryLayout.restoreLease(cluster, lease.workflowId()), Json.prettyBytes(lease));
  }

  /**
   * @param removeStale delete the leases of workflows that are no longer running
   * @return backup id → the workflow id of a running restore that reads it
   */
  Map<String, String> inUse(String cluster, WorkflowLiveness liveness, boolean removeStale) throws IOException {
    List<Listing> leases;
    try (Stream<Listing> listing = repo.list(RepositoryLayout.restoreLeases(cluster))) {
      leases = listing.filter(l -> !l.folder()).toList();
    }
    Map<String, String> inUse = new LinkedHashMap<>();
    for (Listing entry : leases) {
      Lease lease;
      try {
        lease = Json.read(repo.readAllBytes(entry.key()), Lease.class);
      } catch (NoSuchObjectException removed) {
        continue;
      }
      if (liveness.isRunning(lease.workflowId(), lease.runId())) {
        inUse.putIfAbsent(lease.backupId(), lease.workflowId());
      } else if (removeStale) {
        repo.delete(entry.key());
      }
    }
    return inUse;
  }
}
