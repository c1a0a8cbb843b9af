package io.tidemark.activities.wal;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import io.tidemark.activities.repository.NoSuchObjectException;
import io.tidemark.activities.repository.Repository;
import io.tidemark.activities.repository.RepositoryLayout;
import io.tidemark.workflows.model.WalFileName;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The restore_command: copies one archived WAL file to where PostgreSQL asks, decompressed,
 * checked (zstd's frame checksum) and written atomically (a temporary file renamed into place),
 * so PostgreSQL never reads half a segment.
 */
public final class WalFetcher {

  public enum Outcome { FETCHED, NOT_IN_ARCHIVE }

  private final Repository repo;

  public WalFetcher(Repository repo) {
    this.repo = repo;
  }

  public Outcome fetch(String cluster, String node, String name, Path destination) throws IOException {
    if (!WalFileName.isArchivable(name)) {
      throw new IOException("'" + name + "' is not a WAL file name");
    }
    Path temp = destination.resolveSibling("." + destination.getFileName() + ".tidemark-fetch");
    try (InputStream in = new ZstdInputStreamNoFinalizer(repo.read(RepositoryLayout.walObject(cluster, node, name)));
        FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      OutputStream out = Channels.newOutputStream(ch);
      in.transferTo(out);
      ch.force(true);
    } catch (NoSuchObjectException absent) {
      Files.deleteIfExists(temp);
      return Outcome.NOT_IN_ARCHIVE;
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    Files.move(temp, destination, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return Outcome.FETCHED;
  }
}
