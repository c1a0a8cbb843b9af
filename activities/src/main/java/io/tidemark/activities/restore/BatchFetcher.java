package io.tidemark.activities.restore;

import io.temporal.failure.ApplicationFailure;
import io.tidemark.activities.repository.BoundedInputStream;
import io.tidemark.activities.repository.NoSuchObjectException;
import io.tidemark.activities.repository.Repository;
import io.tidemark.activities.repository.RepositoryLayout;
import io.tidemark.activities.runtime.Heartbeat;
import io.tidemark.activities.transfer.FrameDecoder;
import io.tidemark.activities.transfer.FrameReader;
import io.tidemark.activities.transfer.Ndjson;
import io.tidemark.activities.transfer.StoredFile;
import io.tidemark.workflows.Failures;
import io.tidemark.workflows.activities.NodeRestoreActivities.FetchFilesInput;
import io.tidemark.workflows.activities.NodeRestoreActivities.FetchResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * FetchFiles: writes one batch of stored files into the data directory. Files stored next to each
 * other in a pack are fetched with one read (one ranged GET on S3) and decoded as the bytes arrive.
 * A large file stored in pieces that is slow to decode is fetched alone, its pieces side by side
 * ({@link PieceFetcher}).
 * Every file is checked (size and CRC-32C) as it is written and gets its recorded mtime. Files are
 * synced in groups, and only a synced group is reported as done: a retried attempt starts after
 * the last synced file.
 */
final class BatchFetcher {

  /** Heartbeat details: every file before {@code nextFile} is written and synced. */
  public record Progress(int nextFile) {}

  static final int GROUP_FILES = 256;
  static final long GROUP_BYTES = 64L << 20;
  /** One read covers at most this many stored bytes (a larger frame is read alone). */
  static final long RUN_BYTES = 32L << 20;

  private final Repository repo;

  BatchFetcher(Repository repo) {
    this.repo = repo;
  }

  FetchResult fetch(FetchFilesInput in, Heartbeat heartbeat) throws IOException {
    Path dir = Path.of(in.dataDirectory()).normalize();
    String nodePrefix = RepositoryLayout.node(in.cluster(), in.backupId(), in.node());
    int start = heartbeat.previous(Progress.class).map(Progress::nextFile).orElse(0);
    long files = 0;
    long bytes = 0;
    int listed;
    try (Group group = new Group();
        FrameDecoder decoder = new FrameDecoder();
        EarlyWriteback writeback = new EarlyWriteback();
        PieceFetcher pieces = new PieceFetcher(repo);
        Ndjson.CloseableIterator<StoredFile> list = Ndjson.read(repo,
            nodePrefix + RepositoryLayout.storedFiles(in.session(), in.batch()), StoredFile.class)) {
      PackRuns runs = new PackRuns(list, RUN_BYTES, start);
      for (List<StoredFile> run = runs.next(); !run.isEmpty(); run = runs.next()) {
        int first = runs.nextIndex() - run.size();
        // A file worth decoding in pieces is alone in its run and fetches its own; the others share one read.
        boolean inPieces = run.size() == 1 && PieceFetcher.worthIt(run.get(0));
        try (InputStream stream = inPieces ? null : open(nodePrefix, run, in.node())) {
          for (int k = 0; k < run.size(); k++) {
            StoredFile file = run.get(k);
            Path target = DataDirectories.resolve(dir, file.path());
            int resumeAt = start;
            String key = nodePrefix + file.pack();
            TargetFile out = writeFile(target, nodePrefix, file, in.node(), inPieces
                ? t -> pieces.fetch(file, key, t, writeback::nudge, () -> heartbeat.beat(new Progress(resumeAt)))
                : t -> decoder.decode(new BoundedInputStream(stream, file.length()), file, key,
                    writeback.watch(t)));
            group.add(out, target.getParent(), file.size());
            files++;
            bytes += file.size();
            heartbeat.beat(new Progress(start));
            if (group.isFull()) {
              group.sync();
              start = first + k + 1;
              heartbeat.beat(new Progress(start));
            }
          }
        }
      }
      listed = runs.nextIndex();
      group.sync();
    }
    return new FetchResult(in.batch(), files, bytes, listed - files);
  }

  /** One read of the pack, from the run's first frame to the end of its last. */
  private InputStream open(String nodePrefix, List<StoredFile> run, String node) throws IOException {
    StoredFile first = run.get(0);
    StoredFile last = run.get(run.size() - 1);
    try {
      return repo.read(nodePrefix + first.pack(), first.offset(), last.offset() + last.length() - first.offset());
    } catch (NoSuchObjectException e) {
      throw missing(nodePrefix, first, node);
    }
  }

  private static ApplicationFailure missing(String nodePrefix, StoredFile file, String node) {
    return ApplicationFailure.newNonRetryableFailure("restore of node " + node + " stopped: object " + nodePrefix
        + file.pack() + ", which holds " + file.path() + ", is missing from the repository", Failures.CORRUPT_BACKUP);
  }

  /** What goes into a file: its frame decoded, or its pieces. */
  private interface Contents {
    void writeInto(TargetFile file) throws IOException;
  }

  /**
   * Creates the file, fills it and gives it its recorded mtime. A damaged or missing object stops
   * the node's restore, naming the file and the object.
   */
  private TargetFile writeFile(Path target, String nodePrefix, StoredFile file, String node, Contents contents)
      throws IOException {
    TargetFile out = TargetFile.create(target, file.size());
    try {
      contents.writeInto(out);
    } catch (NoSuchObjectException e) {
      out.close();
      throw missing(nodePrefix, file, node);
    } catch (FrameReader.CorruptFileException e) {
      out.close();
      throw corrupt(node, e);
    } catch (IOException | RuntimeException e) {
      out.close();
      throw e;
    }
    Files.setLastModifiedTime(target, FileTime.fromMillis(file.mtime()));
    return out;
  }

  private static ApplicationFailure corrupt(String node, FrameReader.CorruptFileException e) {
    return ApplicationFailure.newNonRetryableFailure("restore of node " + node + " stopped: " + e.getMessage(),
        Failures.CORRUPT_BACKUP);
  }

  /** Files written but not yet synced, with their directories. */
  private static final class Group implements AutoCloseable {
    private final List<TargetFile> open = new ArrayList<>();
    private final Set<Path> directories = new LinkedHashSet<>();
    private long bytes;

    void add(TargetFile channel, Path directory, long size) {
      open.add(channel);
      directories.add(directory);
      bytes += size;
    }

    boolean isFull() {
      return open.size() >= GROUP_FILES || bytes >= GROUP_BYTES;
    }

    void sync() throws IOException {
      for (TargetFile ch : open) {
        ch.force(true);
        ch.close();
      }
      open.clear();
      bytes = 0;
      for (Path d : directories) {
        DataDirectories.sync(d);
      }
      directories.clear();
    }

    @Override
    public void close() throws IOException {
      for (TargetFile ch : open) {
        ch.close();
      }
    }
  }
}
