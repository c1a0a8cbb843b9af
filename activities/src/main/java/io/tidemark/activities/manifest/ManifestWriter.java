package io.tidemark.activities.manifest;

import io.tidemark.activities.repository.ObjectWriter;
import io.tidemark.activities.repository.Repository;
import io.tidemark.activities.repository.RepositoryLayout;
import io.tidemark.activities.transfer.Checksums;
import io.tidemark.activities.transfer.Ndjson;
import io.tidemark.activities.transfer.StoredFile;
import io.tidemark.workflows.activities.NodeBackupActivities.WriteManifestInput;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * WriteManifest: the node's backup_manifest, from backup_label, tablespace_map and every batch's
 * list of stored files, streamed one batch at a time.
 */
public final class ManifestWriter {

  private final Repository repo;

  public ManifestWriter(Repository repo) {
    this.repo = repo;
  }

  public void write(WriteManifestInput in) throws IOException {
    String nodePrefix = RepositoryLayout.node(in.cluster(), in.backupId(), in.node());
    long stopped = Instant.parse(in.stopTime()).toEpochMilli();
    List<BackupManifest.Entry> fromStop = new ArrayList<>();
    byte[] label = repo.readAllBytes(nodePrefix + RepositoryLayout.backupLabel(in.session()));
    fromStop.add(new BackupManifest.Entry("backup_label", label.length, stopped, Checksums.crc32c(label)));
    String mapKey = nodePrefix + RepositoryLayout.tablespaceMap(in.session());
    if (repo.exists(mapKey)) {
      byte[] map = repo.readAllBytes(mapKey);
      fromStop.add(new BackupManifest.Entry("tablespace_map", map.length, stopped, Checksums.crc32c(map)));
    }
    try (ObjectWriter target = repo.create(nodePrefix + RepositoryLayout.manifest(in.session()), -1)) {
      BufferedOutputStream out = new BufferedOutputStream(target, 1 << 16);
      BackupManifest.write(out, in.pgVersion(), in.systemIdentifier(),
          new Entries(fromStop.iterator(), nodePrefix, in.session(), in.batches()),
          new BackupManifest.WalRange(in.timeline(), in.startLsn(), in.stopLsn()));
      out.flush();
      target.commit();
    }
  }

  /** The files of every batch list in turn, after the ones pg_backup_stop gave. */
  private final class Entries implements Iterator<BackupManifest.Entry> {
    private final Iterator<BackupManifest.Entry> first;
    private final String nodePrefix;
    private final int session;
    private final int batches;
    private int batch;
    private Ndjson.CloseableIterator<StoredFile> current;

    Entries(Iterator<BackupManifest.Entry> first, String nodePrefix, int session, int batches) {
      this.first = first;
      this.nodePrefix = nodePrefix;
      this.session = session;
      this.batches = batches;
    }

    @Override
    public boolean hasNext() {
      if (first.hasNext()) {
        return true;
      }
      try {
        while (current == null || !current.hasNext()) {
          if (current != null) {
            current.close();
            current = null;
          }
          if (batch >= batches) {
            return false;
          }
          current = Ndjson.read(repo, nodePrefix + RepositoryLayout.storedFiles(session, batch++), StoredFile.class);
        }
        return true;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public BackupManifest.Entry next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      if (first.hasNext()) {
        return first.next();
      }
      StoredFile f = current.next();
      return new BackupManifest.Entry(f.path(), f.size(), f.mtime(), f.checksum());
    }
  }
}
