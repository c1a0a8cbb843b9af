package io.tidemark.activities.backup;

import io.tidemark.activities.repository.Listing;
import io.tidemark.activities.repository.Repository;
import io.tidemark.activities.repository.RepositoryLayout;
import io.tidemark.activities.transfer.Ndjson;
import io.tidemark.activities.transfer.Packs;
import io.tidemark.activities.transfer.StoredFile;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every file the earlier sessions of one node backup stored, oldest session first, streamed from
 * the repository: the lists of the batches they finished, and the indexes of the packs written by
 * batches they did not finish (a pack is committed whole and describes itself).
 */
final class EarlierCopies {

  /** Receives stored copies. */
  interface Sink {
    void accept(StoredFile copy) throws IOException;
  }

  private static final Logger log = LoggerFactory.getLogger(EarlierCopies.class);

  private final Repository repo;
  private final String nodePrefix;

  EarlierCopies(Repository repo, String nodePrefix) {
    this.repo = repo;
    this.nodePrefix = nodePrefix;
  }

  /** @return how many copies were passed on */
  long forEach(int beforeSession, Sink sink) throws IOException {
    long copies = 0;
    for (int session = 1; session < beforeSession; session++) {
      Set<String> finished = new HashSet<>();
      for (String list : names(RepositoryLayout.session(session) + "files/")) {
        finished.add(list);
        try (Ndjson.CloseableIterator<StoredFile> it = Ndjson.read(repo,
            nodePrefix + RepositoryLayout.session(session) + "files/" + list, StoredFile.class)) {
          while (it.hasNext()) {
            sink.accept(it.next());
            copies++;
          }
        }
      }
      for (String pack : names(RepositoryLayout.packs(session))) {
        if (finished.contains(RepositoryLayout.batchOfPack(pack))) {
          continue;
        }
        String key = RepositoryLayout.packs(session) + pack;
        try {
          for (StoredFile copy : Packs.readIndex(repo, nodePrefix + key)) {
            sink.accept(copy);
            copies++;
          }
        } catch (IOException unreadable) {
          // Not worth failing a backup over: its files are simply sent again.
          log.warn("pack {} of an earlier session cannot be read, its files are sent again: {}", key,
              unreadable.getMessage());
        }
      }
    }
    return copies;
  }

  /** Object names in one folder of the node, in key order. */
  private List<String> names(String folder) throws IOException {
    try (Stream<Listing> listing = repo.list(nodePrefix + folder)) {
      return listing.filter(l -> !l.folder()).map(Listing::name).toList();
    }
  }
}
