package io.tidemark.activities.retention;

import io.tidemark.activities.repository.Listing;
import io.tidemark.activities.repository.Repository;
import io.tidemark.activities.repository.RepositoryLayout;
import io.tidemark.activities.runtime.Heartbeat;
import io.tidemark.workflows.activities.RetentionActivities.WalExpiry;
import io.tidemark.workflows.model.WalFileName;
import java.io.IOException;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Deletes a node's archived WAL before the first segment the oldest kept backup needs, on every
 * timeline. History files stay: they are tiny, and recovery to a later timeline needs them all.
 * A timeline folder lists in WAL order, so the listing stops at the first file to keep.
 */
final class WalExpirer {

  private static final Pattern TIMELINE = Pattern.compile("[0-9A-F]{8}");
  private static final String SUFFIX = ".zst";

  private final Repository repo;

  WalExpirer(Repository repo) {
    this.repo = repo;
  }

  WalExpiry expire(String cluster, String node, String keepFrom, boolean dryRun, Heartbeat heartbeat) throws IOException {
    Sweep sweep = new Sweep(repo, dryRun, heartbeat);
    List<String> timelines;
    try (Stream<Listing> listing = repo.list(RepositoryLayout.wal(cluster, node))) {
      timelines = listing.filter(l -> l.folder() && TIMELINE.matcher(l.name()).matches()).map(Listing::key).toList();
    }
    for (String timeline : timelines) {
      try (Stream<Listing> listing = repo.list(timeline)) {
        for (Listing object : (Iterable<Listing>) listing::iterator) {
          String name = object.name().endsWith(SUFFIX)
              ? object.name().substring(0, object.name().length() - SUFFIX.length()) : object.name();
          if (object.folder() || !WalFileName.isArchivable(name) || WalFileName.isHistory(name)) {
            continue;
          }
          if (WalPositions.compare(name, keepFrom) >= 0) {
            break;
          }
          sweep.add(object);
        }
      }
    }
    sweep.flush();
    return new WalExpiry(node, keepFrom, sweep.objects(), sweep.bytes());
  }
}
