package io.tidemark.activities.wal;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import io.tidemark.activities.repository.NoSuchObjectException;
import io.tidemark.activities.repository.Repository;
import io.tidemark.activities.repository.RepositoryLayout;
import io.tidemark.activities.wal.spool.FileChecksum;
import io.tidemark.activities.wal.spool.PosixCksum;
import io.tidemark.workflows.model.WalFileName;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.Supplier;

/**
 * The restore_command: copies one archived WAL file to where PostgreSQL asks, decompressed,
 * checked (zstd's frame checksum) and written atomically (a temporary file renamed into place),
 * so PostgreSQL never reads half a segment.
 */
public final class WalFetcher {

  public enum Outcome { FETCHED, NOT_IN_ARCHIVE }

  private final Supplier<Repository> repository;
  private Repository repo;

  public WalFetcher(Repository repo) {
    this(() -> repo);
  }

  /** Opens the repository only when a file must come from it: a call served from the spool never does. */
  public WalFetcher(Supplier<Repository> repository) {
    this.repository = repository;
  }

  private synchronized Repository repo() {
    if (repo == null) {
      repo = repository.get();
    }
    return repo;
  }

  public Outcome fetch(String cluster, String node, String name, Path destination) throws IOException {
    Path temp = destination.resolveSibling("." + destination.getFileName() + ".tidemark-fetch");
    if (download(cluster, node, name, temp, true) == null) {
      return Outcome.NOT_IN_ARCHIVE;
    }
    Files.move(temp, destination, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return Outcome.FETCHED;
  }

  /**
   * Writes the archived file, decompressed and checked, to {@code target} (replaced if there) and
   * returns its size and checksum; null, with nothing left behind, if the archive has no such file.
   *
   * @param sync whether to fsync the file before returning
   */
  public FileChecksum download(String cluster, String node, String name, Path target, boolean sync) throws IOException {
    if (!WalFileName.isArchivable(name)) {
      throw new IOException("'" + name + "' is not a WAL file name");
    }
    PosixCksum crc = new PosixCksum();
    long size = 0;
    try (InputStream in = new ZstdInputStreamNoFinalizer(repo().read(RepositoryLayout.walObject(cluster, node, name)));
        FileChannel ch = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        crc.update(buf, 0, n);
        ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
        while (b.hasRemaining()) {
          ch.write(b);
        }
        size += n;
      }
      if (sync) {
        ch.force(true);
      }
    } catch (NoSuchObjectException absent) {
      Files.deleteIfExists(target);
      return null;
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(target);
      throw e;
    }
    return new FileChecksum(size, crc.value());
  }
}
