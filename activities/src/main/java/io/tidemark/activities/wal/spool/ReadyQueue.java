package io.tidemark.activities.wal.spool;

import io.tidemark.workflows.model.WalFileName;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The WAL files PostgreSQL has yet to archive ({@code pg_wal/archive_status/<name>.ready}), in the
 * order its archiver takes them: timeline history files first, then the oldest.
 */
public final class ReadyQueue {

  private static final String READY = ".ready";
  public static final Comparator<String> ARCHIVER_ORDER =
      Comparator.comparing((String n) -> WalFileName.isHistory(n) ? 0 : 1).thenComparing(Comparator.naturalOrder());

  private final Path archiveStatus;

  public ReadyQueue(Path pgWal) {
    this.archiveStatus = pgWal.resolve("archive_status");
  }

  /** The file that says PostgreSQL has yet to archive {@code walName}. */
  public static Path readyFile(Path pgWal, String walName) {
    return pgWal.resolve("archive_status").resolve(walName + READY);
  }

  /** Every WAL file marked ready, in archiver order. */
  public List<String> ready() throws IOException {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(archiveStatus, "*" + READY)) {
      for (Path f : files) {
        String file = f.getFileName().toString();
        String name = file.substring(0, file.length() - READY.length());
        if (WalFileName.isArchivable(name)) {
          names.add(name);
        }
      }
    } catch (NoSuchFileException notAServer) {
      return List.of();
    }
    names.sort(ARCHIVER_ORDER);
    return names;
  }

  /** The next {@code limit} of {@code ready}, in order, leaving out the given names. */
  public static List<String> next(List<String> ready, Collection<String> leaveOut, int limit) {
    Set<String> skip = Set.copyOf(leaveOut);
    return ready.stream().filter(n -> !skip.contains(n)).limit(limit).toList();
  }
}
