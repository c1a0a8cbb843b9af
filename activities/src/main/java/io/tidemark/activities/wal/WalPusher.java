package io.tidemark.activities.wal;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import io.tidemark.activities.postgres.ControlFile;
import io.tidemark.activities.repository.ObjectExistsException;
import io.tidemark.activities.repository.ObjectWriter;
import io.tidemark.activities.repository.Repository;
import io.tidemark.activities.repository.RepositoryLayout;
import io.tidemark.activities.transfer.FrameCompressor;
import io.tidemark.workflows.model.WalFileName;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The archive_command. A WAL file is stored once and never overwritten: if its object already
 * exists with the same content the push succeeds (PostgreSQL retries pushes it could not confirm,
 * and must not be blocked by its own earlier success); with different content it fails and the
 * stored copy stays as it is.
 */
public final class WalPusher {

  public enum Outcome { STORED, ALREADY_ARCHIVED }

  private final Repository repo;
  private final int zstdLevel;

  /** @param zstdLevel WAL is always compressed; level 1 if the repository stores data uncompressed */
  public WalPusher(Repository repo, int zstdLevel) {
    this.repo = repo;
    this.zstdLevel = Math.max(1, zstdLevel);
  }

  /**
   * @param dataDirectory the pushing server's data directory, to check the archive belongs to it;
   *     null to skip the check
   */
  public Outcome push(String cluster, String node, Path file, Path dataDirectory) throws IOException {
    String name = file.getFileName().toString();
    if (!WalFileName.isArchivable(name)) {
      throw new IOException("'" + name + "' is not a WAL file name (a segment, .history, .backup or .partial file)");
    }
    if (dataDirectory != null) {
      new ArchiveGuard(repo).check(cluster, node, ControlFile.systemIdentifier(dataDirectory));
    }
    return store(cluster, node, file);
  }

  /**
   * Stores the file without checking which system the archive belongs to (the caller did). Returns
   * only once the repository confirmed the object (or an identical one) is there.
   */
  public Outcome store(String cluster, String node, Path file) throws IOException {
    String name = file.getFileName().toString();
    if (!WalFileName.isArchivable(name)) {
      throw new IOException("'" + name + "' is not a WAL file name (a segment, .history, .backup or .partial file)");
    }
    String key = RepositoryLayout.walObject(cluster, node, name);
    try (FileChannel source = FileChannel.open(file, StandardOpenOption.READ);
        FrameCompressor compressor = FrameCompressor.oneFrame(zstdLevel);
        ObjectWriter out = repo.createIfAbsent(key, source.size())) {
      compressor.compress(source, source.size(), out, (chunk, offset) -> { });
      out.commit();
      return Outcome.STORED;
    } catch (ObjectExistsException exists) {
      return existing(key, file, cluster);
    }
  }

  private Outcome existing(String key, Path file, String cluster) throws IOException {
    if (sameContent(key, file)) {
      return Outcome.ALREADY_ARCHIVED;
    }
    throw new WalConflictException("WAL file " + file.getFileName() + " is already archived at " + repo.describe()
        + "/" + key + " with different content; the archived copy was kept. Two servers may be archiving into the"
        + " same node's archive: check archive_command on every server of cluster " + cluster + ".");
  }

  /** Byte-for-byte comparison of the stored object, decompressed, with the local file. */
  private boolean sameContent(String key, Path file) throws IOException {
    try (InputStream stored = new BufferedInputStream(new ZstdInputStreamNoFinalizer(repo.read(key)), 1 << 16);
        InputStream local = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      byte[] a = new byte[1 << 16];
      byte[] b = new byte[1 << 16];
      while (true) {
        int n = local.readNBytes(a, 0, a.length);
        int m = stored.readNBytes(b, 0, b.length);
        if (n != m || !Arrays.equals(a, 0, n, b, 0, m)) {
          return false;
        }
        if (n == 0) {
          return true;
        }
      }
    }
  }

  /** The file is archived with other content. */
  public static final class WalConflictException extends IOException {
    public WalConflictException(String message) {
      super(message);
    }
  }
}
