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
    fromStop.add(entry("backup_label", label, stopped, in.sha256()));
    String mapKey = nodePrefix + RepositoryLayout.tablespaceMap(in.session());
    if (repo.exists(mapKey)) {
      fromStop.add(entry("tablespace_map", repo.readAllBytes(mapKey), stopped, in.sha256()));
    }
    try (ObjectWriter target = repo.create(nodePrefix + RepositoryLayout.manifest(in.session()), -1)) {
      BufferedOutputStream out = new BufferedOutputStream(target, 1 << 16);
      BackupManifest.write(out, in.pgVersion(), in.systemIdentifier(),
          new Entries(fromStop.iterator(), nodePrefix, in.session(), in.batches(), in.sha256()),
          new BackupManifest.WalRange(in.timeline(), in.startLsn(), in.stopLsn()));
      out.flush();
      target.commit();
    }
  }

  private static BackupManifest.Entry entry(String path, byte[] content, long mtime, boolean sha256) {
    return sha256 ? new BackupManifest.Entry(path, content.length, mtime, "SHA256", Checksums.sha256(content))
        : BackupManifest.Entry.crc32c(path, content.length, mtime, Checksums.crc32c(content));
  }

  /** The files of every batch list in turn, after the ones pg_backup_stop gave. */
  private final class Entries implements Iterator<BackupManifest.Entry> {
    private final Iterator<BackupManifest.Entry> first;
    private final String nodePrefix;
    private final int session;
    private final int batches;
    private final boolean sha256;
    private int batch;
    private Ndjson.CloseableIterator<StoredFile> current;

    Entries(Iterator<BackupManifest.Entry> first, String nodePrefix, int session, int batches, boolean sha256) {
      this.first = first;
      this.nodePrefix = nodePrefix;
      this.session = session;
      this.batches = batches;
      this.sha256 = sha256;
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
      if (sha256 && f.sha256() == null) {
        throw new IllegalStateException(f.path() + " was stored without the SHA-256 the manifest needs");
      }
      return sha256 ? new BackupManifest.Entry(f.path(), f.size(), f.mtime(), "SHA256", f.sha256())
          : BackupManifest.Entry.crc32c(f.path(), f.size(), f.mtime(), f.checksum());
    }
  }
}
