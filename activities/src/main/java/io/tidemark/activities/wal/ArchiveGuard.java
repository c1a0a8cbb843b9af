package io.tidemark.activities.wal;

import io.tidemark.activities.Json;
import io.tidemark.activities.repository.NoSuchObjectException;
import io.tidemark.activities.repository.ObjectExistsException;
import io.tidemark.activities.repository.ObjectWriter;
import io.tidemark.activities.repository.Repository;
import io.tidemark.activities.repository.RepositoryLayout;
import java.io.IOException;
import java.time.Instant;

/**
 * Keeps a node's WAL archive to one database system. The first backup or push records the
 * system identifier; afterwards a server with another one (a cluster initdb'ed again under the
 * same name, or a copy restored elsewhere and pointed at the same repository) is refused before it
 * can mix its WAL into the archive.
 */
public final class ArchiveGuard {

  private final Repository repo;

  public ArchiveGuard(Repository repo) {
    this.repo = repo;
  }

  /** @throws ArchiveMismatchException if the archive belongs to another system */
  public void check(String cluster, String node, String systemIdentifier) throws IOException {
    String key = RepositoryLayout.archiveInfo(cluster, node);
    ArchiveInfo info;
    try {
      info = Json.read(repo.readAllBytes(key), ArchiveInfo.class);
    } catch (NoSuchObjectException absent) {
      info = new ArchiveInfo(1, systemIdentifier, Instant.now().toString());
      try (ObjectWriter w = repo.createIfAbsent(key, -1)) {
        w.write(Json.prettyBytes(info));
        w.commit();
      } catch (ObjectExistsException raced) {
        info = Json.read(repo.readAllBytes(key), ArchiveInfo.class);
      }
    }
    if (!info.systemIdentifier().equals(systemIdentifier)) {
      throw new ArchiveMismatchException("the WAL archive of node " + node + " in cluster " + cluster
          + " belongs to database system " + info.systemIdentifier() + ", but this server is system "
          + systemIdentifier + ". A different cluster must not share an archive: give it its own node or"
          + " cluster name in the configuration (or move the old archive away if the old system is gone for good).");
    }
  }

  public static final class ArchiveMismatchException extends IOException {
    public ArchiveMismatchException(String message) {
      super(message);
    }
  }
}
