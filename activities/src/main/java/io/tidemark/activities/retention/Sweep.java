package io.tidemark.activities.retention;

import io.tidemark.activities.repository.Listing;
import io.tidemark.activities.repository.Repository;
import io.tidemark.activities.runtime.Heartbeat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Deletes objects in batches of the repository's largest delete, counting them and heartbeating
 * after every batch; in a dry run it only counts. Counts carry on from an earlier attempt's last
 * heartbeat, so a retried activity reports the whole job.
 */
final class Sweep {

  /** What a sweep has done so far: the heartbeat's details. */
  record Progress(long objects, long bytes) {}

  private final Repository repo;
  private final boolean dryRun;
  private final Heartbeat heartbeat;
  private final List<String> pending = new ArrayList<>();
  private long objects;
  private long bytes;

  Sweep(Repository repo, boolean dryRun, Heartbeat heartbeat) {
    this.repo = repo;
    this.dryRun = dryRun;
    this.heartbeat = heartbeat;
    heartbeat.previous(Progress.class).ifPresent(p -> {
      objects = p.objects();
      bytes = p.bytes();
    });
  }

  void add(Listing object) throws IOException {
    objects++;
    bytes += object.size();
    if (!dryRun) {
      pending.add(object.key());
      if (pending.size() == Repository.DELETE_BATCH) {
        flush();
      }
    }
  }

  void flush() throws IOException {
    if (!pending.isEmpty()) {
      repo.delete(List.copyOf(pending));
      pending.clear();
    }
    heartbeat.beat(new Progress(objects, bytes));
  }

  long objects() {
    return objects;
  }

  long bytes() {
    return bytes;
  }
}
