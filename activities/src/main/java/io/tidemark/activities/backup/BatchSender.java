package io.tidemark.activities.backup;

import io.tidemark.activities.files.ListedFile;
import io.tidemark.activities.pages.PageVerifier;
import io.tidemark.activities.repository.Listing;
import io.tidemark.activities.repository.NoSuchObjectException;
import io.tidemark.activities.repository.ObjectWriter;
import io.tidemark.activities.repository.Repository;
import io.tidemark.activities.repository.RepositoryLayout;
import io.tidemark.activities.runtime.Heartbeat;
import io.tidemark.activities.transfer.FrameCompressor;
import io.tidemark.activities.transfer.FrameReader;
import io.tidemark.activities.transfer.Ndjson;
import io.tidemark.activities.transfer.Packs;
import io.tidemark.activities.transfer.StoredFile;
import io.tidemark.workflows.activities.NodeBackupActivities.BatchResult;
import io.tidemark.workflows.model.Reuse;
import io.tidemark.workflows.activities.NodeBackupActivities.SendFilesInput;
import io.tidemark.workflows.model.Lsn;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SendFiles: streams one batch of files into packs and records what was stored.
 *
 * <p>Small files share a pack; a large file gets one of its own. Pack keys carry the attempt
 * number, so attempts never overwrite each other's objects. A retried attempt lists the packs
 * earlier attempts of the batch committed, takes the files in them from their own indexes, and
 * sends only the rest: a crash costs at most the packs that were being written.
 *
 * <p>A closed pack commits on a second thread while the next one fills, so the upload (or fsync) of
 * one pack overlaps the reading and compressing of the next; its files are recorded once it is
 * committed. At most one pack commits at a time, which bounds memory at two packs per batch.
 *
 * <p>A file an earlier, lost session already stored (the file list names the copy, matched by size
 * and mtime) is read and checksummed but not sent: if its bytes still have the copy's checksum, and
 * the stored copy still decodes to that checksum, the copy is recorded for this session too.
 */
final class BatchSender {

  /** Files this large get a pack of their own. */
  static final long SOLO_FILE_BYTES = 4L << 20;
  /** A shared pack is closed once this much is stored in it. */
  static final long PACK_TARGET_BYTES = 8L << 20;

  /** Corrupt pages named in a batch's result, at most. */
  static final int SAMPLES = 20;

  private static final Logger log = LoggerFactory.getLogger(BatchSender.class);

  /**
   * Heartbeat details.
   *
   * @param filesDone files stored or reused so far
   * @param openBytes bytes read into packs not yet committed: what a crash now would cost
   * @param session the backup session of the batch (0 in heartbeats of workers from before it was
   *     reported), so that a lost session's open packs can be told from an earlier one's
   * @param batch the batch
   */
  public record Progress(long filesDone, long openBytes, int session, int batch) {}

  private final Repository repo;
  private final int zstdLevel;

  BatchSender(Repository repo, int zstdLevel) {
    this.repo = repo;
    this.zstdLevel = zstdLevel;
  }

  BatchResult send(SendFilesInput in, Path dataDirectory, Heartbeat heartbeat) throws IOException {
    Run run = new Run(in, dataDirectory, heartbeat);
    return run.execute();
  }

  /** The state of one attempt. */
  private final class Run {
    private final SendFilesInput in;
    private final Path dataDirectory;
    private final Heartbeat heartbeat;
    private final String nodePrefix;
    private final int attempt;
    private final Set<String> storedByEarlierAttempts = new HashSet<>();
    private Ndjson.Writer<StoredFile> results;
    private long files;
    private long bytes;
    private long storedBytes;
    private long vanished;
    private long resumed;
    private long corruptPages;
    private final List<String> corruptPageSamples = new ArrayList<>();
    private long reusedFiles;
    private long reusedBytes;
    private final long resentBytes;
    private final long startLsn;
    private int nextPackSequence;
    private long openBytes;
    private PackCommitter committer;

    Run(SendFilesInput in, Path dataDirectory, Heartbeat heartbeat) {
      this.in = in;
      this.dataDirectory = dataDirectory;
      this.heartbeat = heartbeat;
      this.nodePrefix = RepositoryLayout.node(in.cluster(), in.backupId(), in.node());
      this.attempt = heartbeat.attempt();
      this.startLsn = in.verifyPageChecksums() ? Lsn.parse(in.startLsn()).value() : 0;
      this.resentBytes = heartbeat.previous(Progress.class).map(Progress::openBytes).orElse(0L);
    }

    BatchResult execute() throws IOException {
      try (Ndjson.Writer<StoredFile> out = Ndjson.create(repo,
              nodePrefix + RepositoryLayout.storedFiles(in.session(), in.batch()), StoredFile.class);
          FrameCompressor compressor = new FrameCompressor(zstdLevel);
          PackCommitter committer = new PackCommitter()) {
        results = out;
        this.committer = committer;
        if (attempt > 1) {
          recoverEarlierAttempts();
        }
        copyRemainingFiles(compressor);
        out.commit();
      }
      return new BatchResult(in.batch(), files, bytes, storedBytes, vanished, resumed, corruptPages,
          corruptPageSamples.isEmpty() ? null : List.copyOf(corruptPageSamples),
          new Reuse(reusedFiles, reusedBytes, resentBytes));
    }

    /**
     * Files in packs that earlier attempts of this batch committed are taken from the packs'
     * indexes. The repository, not the last heartbeat, says which packs exist: a heartbeat may not
     * have reached the server before the crash.
     */
    private void recoverEarlierAttempts() throws IOException {
      String batch = RepositoryLayout.batchName(in.batch());
      List<String> packs;
      try (Stream<Listing> listing = repo.list(nodePrefix + RepositoryLayout.packs(in.session()),
          nodePrefix + RepositoryLayout.packs(in.session()) + batch + "-")) {
        packs = listing.filter(l -> !l.folder())
            .map(Listing::name)
            .takeWhile(name -> RepositoryLayout.batchOfPack(name).equals(batch))
            .filter(name -> RepositoryLayout.attemptOfPack(name) < attempt)
            .toList();
      }
      for (String pack : packs) {
        for (StoredFile f : Packs.readIndex(repo, nodePrefix + RepositoryLayout.packs(in.session()) + pack)) {
          if (storedByEarlierAttempts.add(f.path())) {
            record(f);
            resumed++;
          }
        }
      }
    }

    private void copyRemainingFiles(FrameCompressor compressor) throws IOException {
      OpenPack open = null;
      try (Ndjson.CloseableIterator<ListedFile> list = Ndjson.read(repo,
          nodePrefix + RepositoryLayout.fileList(in.session(), in.batch()), ListedFile.class)) {
        while (list.hasNext()) {
          ListedFile file = list.next();
          if (storedByEarlierAttempts.contains(file.path())) {
            continue;
          }
          if (file.earlier() != null && reuse(file, compressor)) {
            continue;
          }
          boolean solo = file.size() >= SOLO_FILE_BYTES;
          if (solo && open != null) {
            closePack(open);
            open = null;
          }
          if (open == null) {
            open = openPack(solo ? file.size() : PACK_TARGET_BYTES);
          }
          copy(file, open, compressor);
          if (solo || open.out.position() >= PACK_TARGET_BYTES) {
            closePack(open);
            open = null;
          }
        }
        if (open != null) {
          closePack(open);
          open = null;
        }
        recordCommitted(committer.awaitPrevious());
      } finally {
        if (open != null) {
          open.out.abort();
        }
      }
    }

    private OpenPack openPack(long sizeHint) throws IOException {
      String name = RepositoryLayout.pack(in.session(), in.batch(), attempt, nextPackSequence++);
      return new OpenPack(name, repo.create(nodePrefix + name, sizeHint));
    }

    private void copy(ListedFile file, OpenPack pack, FrameCompressor compressor) throws IOException {
      FileChannel source;
      try {
        source = SourceFiles.open(dataDirectory.resolve(file.path()), file.size());
      } catch (NoSuchFileException gone) {
        vanished++;
        return;
      }
      try (source) {
        long offset = pack.out.position();
        long openBefore = openBytes;
        PageVerifier pages = in.verifyPageChecksums() ? PageVerifier.forFile(file.path(), source, startLsn) : null;
        FrameCompressor.Frame frame = compressor.compress(source, file.size(), pack.out, (chunk, at) -> {
          if (pages != null) {
            pages.inspect(chunk, at);
          }
          openBytes = openBefore + at + chunk.remaining();
          heartbeat.beat(progress());
        }, in.sha256());
        openBytes = openBefore + frame.bytes();
        pack.bytesRead += frame.bytes();
        pack.entries.add(new StoredFile(file.path(), frame.bytes(), file.mtime(), frame.checksum(), pack.name,
            offset, pack.out.position() - offset, compressor.codec().label(), badPages(pages), frame.sha256(),
            frame.pieces()));
      }
    }

    /**
     * Reuses an earlier session's copy if the file's bytes, read now, have the copy's checksum and
     * the copy still decodes to them. Reading after this session's backup started makes that safe:
     * any later change to the file is in WAL this backup replays.
     */
    private boolean reuse(ListedFile file, FrameCompressor compressor) throws IOException {
      StoredFile copy = file.earlier();
      FrameCompressor.Frame now;
      PageVerifier pages;
      try (FileChannel source = SourceFiles.open(dataDirectory.resolve(file.path()), file.size())) {
        pages = in.verifyPageChecksums() ? PageVerifier.forFile(file.path(), source, startLsn) : null;
        now = compressor.digest(source, file.size(), (chunk, at) -> {
          if (pages != null) {
            pages.inspect(chunk, at);
          }
          heartbeat.beat(progress());
        }, in.sha256());
      } catch (NoSuchFileException gone) {
        vanished++;
        return true;
      }
      boolean same = now.bytes() == copy.size() && now.checksum().equals(copy.checksum())
          && (!in.sha256() || now.sha256() != null && now.sha256().equals(copy.sha256()));
      if (!same) {
        return false;
      }
      try {
        FrameReader.copy(repo, nodePrefix, copy, OutputStream.nullOutputStream());
      } catch (FrameReader.CorruptFileException | NoSuchObjectException damaged) {
        log.warn("not reusing the earlier copy of {}: {}", file.path(), damaged.getMessage());
        return false;
      }
      record(new StoredFile(copy.path(), copy.size(), copy.mtime(), copy.checksum(), copy.pack(), copy.offset(),
          copy.length(), copy.codec(), badPages(pages), copy.sha256(), copy.pieces()));
      reusedFiles++;
      reusedBytes += copy.size();
      heartbeat.beat(progress());
      return true;
    }

    /** Hands the pack to the committer; its files are recorded once it is committed. */
    private void closePack(OpenPack pack) throws IOException {
      recordCommitted(committer.awaitPrevious());
      if (pack.entries.isEmpty()) {
        pack.out.abort();
        return;
      }
      committer.commit(pack);
    }

    /** Records the files of a committed pack: they are stored now. */
    private void recordCommitted(OpenPack pack) throws IOException {
      if (pack == null) {
        return;
      }
      for (StoredFile f : pack.entries) {
        record(f);
      }
      openBytes -= pack.bytesRead;
      heartbeat.beat(progress());
    }

    private Progress progress() {
      return new Progress(files, openBytes, in.session(), in.batch());
    }

    private void record(StoredFile f) throws IOException {
      results.add(f);
      files++;
      bytes += f.size();
      storedBytes += f.length();
      if (f.badPages() != null) {
        corruptPages += f.badPages().size();
        for (long block : f.badPages()) {
          if (corruptPageSamples.size() < SAMPLES) {
            corruptPageSamples.add(f.path() + " block " + block);
          }
        }
      }
    }
  }

  private static List<Long> badPages(PageVerifier pages) {
    return pages == null || pages.badCount() == 0 ? null : List.copyOf(pages.badBlocks());
  }

  static final class OpenPack {
    final String name;
    final ObjectWriter out;
    final List<StoredFile> entries = new ArrayList<>();
    /** Bytes of files read into it: what losing it would cost. */
    long bytesRead;

    OpenPack(String name, ObjectWriter out) {
      this.name = name;
      this.out = out;
    }
  }
}
