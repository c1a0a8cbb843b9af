package io.tidemark.activities.backup;

import io.tidemark.activities.files.ListedFile;
import io.tidemark.activities.pages.PageVerifier;
import io.tidemark.activities.repository.ObjectWriter;
import io.tidemark.activities.repository.Repository;
import io.tidemark.activities.repository.RepositoryLayout;
import io.tidemark.activities.runtime.Heartbeat;
import io.tidemark.activities.transfer.FrameCompressor;
import io.tidemark.activities.transfer.Ndjson;
import io.tidemark.activities.transfer.Packs;
import io.tidemark.activities.transfer.StoredFile;
import io.tidemark.workflows.activities.NodeBackupActivities.BatchResult;
import io.tidemark.workflows.activities.NodeBackupActivities.SendFilesInput;
import io.tidemark.workflows.model.Lsn;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * SendFiles: streams one batch of files into packs and records what was stored.
 *
 * <p>Small files share a pack; a large file gets one of its own. Pack keys carry the attempt
 * number, so attempts never overwrite each other's objects. After each pack is committed the
 * activity heartbeats the list of committed packs and the index of the first file not in them; a
 * retried attempt reads those packs' own indexes back and carries on from that file. A crash costs
 * at most the pack being written.
 */
final class BatchSender {

  /** Files this large get a pack of their own. */
  static final long SOLO_FILE_BYTES = 4L << 20;
  /** A shared pack is closed once this much is stored in it. */
  static final long PACK_TARGET_BYTES = 8L << 20;

  /** Corrupt pages named in a batch's result, at most. */
  static final int SAMPLES = 20;

  /** Heartbeat details: what is durably stored so far. */
  public record Progress(int nextFile, List<String> packs) {}

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
    private final List<String> packs = new ArrayList<>();
    private Ndjson.Writer<StoredFile> results;
    private long files;
    private long bytes;
    private long storedBytes;
    private long vanished;
    private long resumed;
    private long corruptPages;
    private final List<String> corruptPageSamples = new ArrayList<>();
    private final long startLsn;
    private int nextPackSequence;
    private Progress progress;

    Run(SendFilesInput in, Path dataDirectory, Heartbeat heartbeat) {
      this.in = in;
      this.dataDirectory = dataDirectory;
      this.heartbeat = heartbeat;
      this.nodePrefix = RepositoryLayout.node(in.cluster(), in.backupId(), in.node());
      this.attempt = heartbeat.attempt();
      this.startLsn = in.verifyPageChecksums() ? Lsn.parse(in.startLsn()).value() : 0;
      this.progress = heartbeat.previous(Progress.class).orElse(new Progress(0, List.of()));
    }

    BatchResult execute() throws IOException {
      try (Ndjson.Writer<StoredFile> out = Ndjson.create(repo,
              nodePrefix + RepositoryLayout.storedFiles(in.session(), in.batch()), StoredFile.class);
          FrameCompressor compressor = new FrameCompressor(zstdLevel)) {
        results = out;
        recoverEarlierPacks();
        copyRemainingFiles(compressor);
        out.commit();
      }
      return new BatchResult(in.batch(), files, bytes, storedBytes, vanished, resumed, corruptPages,
          corruptPageSamples.isEmpty() ? null : List.copyOf(corruptPageSamples));
    }

    /** Files an earlier attempt stored are taken from its packs' indexes, not sent again. */
    private void recoverEarlierPacks() throws IOException {
      for (String pack : progress.packs()) {
        for (StoredFile f : Packs.readIndex(repo, nodePrefix + pack)) {
          record(f);
          resumed++;
        }
        packs.add(pack);
      }
    }

    private void copyRemainingFiles(FrameCompressor compressor) throws IOException {
      OpenPack open = null;
      int index = 0;
      try (Ndjson.CloseableIterator<ListedFile> list = Ndjson.read(repo,
          nodePrefix + RepositoryLayout.fileList(in.session(), in.batch()), ListedFile.class)) {
        while (list.hasNext()) {
          ListedFile file = list.next();
          int i = index++;
          if (i < progress.nextFile()) {
            continue;
          }
          boolean solo = file.size() >= SOLO_FILE_BYTES;
          if (solo && open != null) {
            closePack(open, i);
            open = null;
          }
          if (open == null) {
            open = openPack(solo ? file.size() : PACK_TARGET_BYTES);
          }
          copy(file, open, compressor);
          if (solo || open.out.position() >= PACK_TARGET_BYTES) {
            closePack(open, i + 1);
            open = null;
          }
        }
        if (open != null) {
          closePack(open, index);
          open = null;
        }
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
        source = FileChannel.open(dataDirectory.resolve(file.path()), StandardOpenOption.READ);
      } catch (NoSuchFileException gone) {
        vanished++;
        return;
      }
      try (source) {
        long offset = pack.out.position();
        PageVerifier pages = in.verifyPageChecksums() ? PageVerifier.forFile(file.path(), source, startLsn) : null;
        FrameCompressor.Frame frame = compressor.compress(source, file.size(), pack.out, (chunk, at) -> {
          if (pages != null) {
            pages.inspect(chunk, at);
          }
          heartbeat.beat(progress);
        }, in.sha256());
        List<Long> bad = pages == null || pages.badCount() == 0 ? null : List.copyOf(pages.badBlocks());
        pack.entries.add(new StoredFile(file.path(), frame.bytes(), file.mtime(), frame.checksum(), pack.name,
            offset, pack.out.position() - offset, compressor.codec().label(), bad, frame.sha256()));
      }
    }

    /** Commits the pack and reports it: every file before {@code nextFile} is now stored. */
    private void closePack(OpenPack pack, int nextFile) throws IOException {
      if (pack.entries.isEmpty()) {
        pack.out.abort();
      } else {
        Packs.finish(pack.out, pack.entries);
        pack.out.commit();
        for (StoredFile f : pack.entries) {
          record(f);
        }
        packs.add(pack.name);
      }
      progress = new Progress(nextFile, List.copyOf(packs));
      heartbeat.beat(progress);
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

  private static final class OpenPack {
    final String name;
    final ObjectWriter out;
    final List<StoredFile> entries = new ArrayList<>();

    OpenPack(String name, ObjectWriter out) {
      this.name = name;
      this.out = out;
    }
  }
}
