package io.tidemark.activities.validate;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import io.tidemark.activities.repository.Listing;
import io.tidemark.activities.repository.NoSuchObjectException;
import io.tidemark.activities.repository.Repository;
import io.tidemark.activities.repository.RepositoryLayout;
import io.tidemark.activities.runtime.DaemonThreads;
import io.tidemark.activities.transfer.FrameDecoder;
import io.tidemark.activities.transfer.FrameReader;
import io.tidemark.activities.transfer.Ndjson;
import io.tidemark.activities.transfer.StoredFile;
import io.tidemark.activities.validate.ValidationReport.Problem;
import io.tidemark.activities.wal.WalArchive;
import io.tidemark.workflows.model.BackupRecord;
import io.tidemark.workflows.model.NodeBackupRecord;
import io.tidemark.workflows.model.WalFileName;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Checks a backup without restoring it: every stored file is read back and its size and CRC-32C
 * checked against the list, backup_label and the manifest are there (and the manifest's own
 * checksum holds), every WAL segment from the backup's start to its end is there and decodes,
 * and the WAL archived after it has no gaps, so that point-in-time recovery can reach its newest
 * segment.
 */
public final class BackupValidator {

  private final Repository repo;
  private final int parallelism;

  public BackupValidator(Repository repo, int parallelism) {
    this.repo = repo;
    this.parallelism = parallelism;
  }

  public ValidationReport validate(BackupRecord backup) throws IOException, InterruptedException {
    List<Problem> problems = Collections.synchronizedList(new ArrayList<>());
    AtomicLong files = new AtomicLong();
    AtomicLong bytes = new AtomicLong();
    AtomicLong objects = new AtomicLong();
    long walSegments = 0;
    List<String> walNewest = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(parallelism, DaemonThreads.named("tidemark-validate"));
    try {
      for (NodeBackupRecord node : backup.nodes()) {
        String nodePrefix = RepositoryLayout.node(backup.cluster(), backup.id(), node.node());
        checkSessionFiles(node, nodePrefix, problems);
        List<Future<?>> checks = new ArrayList<>();
        for (int b = 0; b < node.batches(); b++) {
          List<List<StoredFile>> packs = packsOfBatch(node, nodePrefix, b, problems);
          for (List<StoredFile> pack : packs) {
            checks.add(pool.submit(() -> checkPack(node.node(), nodePrefix, pack, problems, files, bytes, objects)));
          }
        }
        for (Future<?> f : checks) {
          try {
            f.get();
          } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException(e.getCause());
          }
        }
        walSegments += checkWal(backup, node, problems, walNewest);
      }
    } finally {
      pool.shutdownNow();
    }
    return new ValidationReport(backup.cluster(), backup.id(), files.get(), bytes.get(), objects.get(), walSegments,
        walNewest, List.copyOf(problems));
  }

  private void checkSessionFiles(NodeBackupRecord node, String nodePrefix, List<Problem> problems) throws IOException {
    String label = nodePrefix + RepositoryLayout.backupLabel(node.session());
    if (!repo.exists(label)) {
      problems.add(new Problem("missing-label", node.node(), label, "backup_label is missing: the backup cannot be restored"));
    }
    String manifest = nodePrefix + RepositoryLayout.manifest(node.session());
    try {
      String detail = manifestProblem(repo.readAllBytes(manifest));
      if (detail != null) {
        problems.add(new Problem("manifest", node.node(), manifest, detail));
      }
    } catch (NoSuchObjectException e) {
      problems.add(new Problem("manifest", node.node(), manifest, "backup_manifest is missing"));
    }
  }

  /** PostgreSQL's rule: SHA-256 of everything before the Manifest-Checksum key. */
  static String manifestProblem(byte[] manifest) {
    String text = new String(manifest, StandardCharsets.UTF_8);
    int at = text.lastIndexOf("\"Manifest-Checksum\": \"");
    if (at < 0) {
      return "backup_manifest has no Manifest-Checksum";
    }
    String recorded = text.substring(at + 22, text.indexOf('"', at + 22));
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(manifest, 0, text.substring(0, at).getBytes(StandardCharsets.UTF_8).length);
      String actual = HexFormat.of().formatHex(sha.digest());
      return actual.equals(recorded) ? null : "backup_manifest's checksum is " + actual + ", it records " + recorded;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The batch's files, grouped by the pack they are in (packs hold consecutive files of a list). */
  private List<List<StoredFile>> packsOfBatch(NodeBackupRecord node, String nodePrefix, int batch, List<Problem> problems)
      throws IOException {
    List<List<StoredFile>> packs = new ArrayList<>();
    String listKey = nodePrefix + RepositoryLayout.storedFiles(node.session(), batch);
    try {
      Ndjson.forEach(repo, listKey, StoredFile.class, f -> {
        if (packs.isEmpty() || !packs.get(packs.size() - 1).get(0).pack().equals(f.pack())) {
          packs.add(new ArrayList<>());
        }
        packs.get(packs.size() - 1).add(f);
      });
    } catch (NoSuchObjectException e) {
      problems.add(new Problem("missing-list", node.node(), listKey, "the list of batch " + batch + " is missing"));
    }
    return packs;
  }

  private Void checkPack(String node, String nodePrefix, List<StoredFile> pack, List<Problem> problems, AtomicLong files,
      AtomicLong bytes, AtomicLong objects) throws IOException {
    String key = nodePrefix + pack.get(0).pack();
    if (!repo.exists(key)) {
      problems.add(new Problem("missing-object", node, key, "missing; it holds " + describe(pack)));
      return null;
    }
    objects.incrementAndGet();
    try (FrameDecoder decoder = new FrameDecoder()) {
      for (StoredFile f : pack) {
        try {
          FrameReader.copy(repo, nodePrefix, f, OutputStream.nullOutputStream(), decoder);
          files.incrementAndGet();
          bytes.addAndGet(f.size());
        } catch (FrameReader.CorruptFileException e) {
          problems.add(new Problem("damaged-object", node, key, e.getMessage()));
        }
      }
    }
    return null;
  }

  private static String describe(List<StoredFile> pack) {
    List<String> paths = pack.stream().limit(5).map(StoredFile::path).toList();
    return pack.size() + " file" + (pack.size() == 1 ? "" : "s") + " (" + String.join(", ", paths)
        + (pack.size() > 5 ? ", ..." : "") + ")";
  }

  /** @return the number of WAL segments read back */
  private long checkWal(BackupRecord backup, NodeBackupRecord node, List<Problem> problems, List<String> newest)
      throws IOException {
    long size = node.walSegmentSize();
    long first = WalFileName.segmentNumberOf(node.startWal(), size);
    long last = WalFileName.segmentNumberOf(node.stopWal(), size);
    long read = 0;
    for (long seg = first; seg <= last; seg++) {
      String name = WalFileName.segmentName(node.timeline(), seg, size);
      String key = RepositoryLayout.walObject(backup.cluster(), node.node(), name);
      try (InputStream in = new ZstdInputStreamNoFinalizer(repo.read(key))) {
        long length = in.transferTo(OutputStream.nullOutputStream());
        if (length != size) {
          problems.add(new Problem("damaged-wal", node.node(), name, "decodes to " + length + " bytes, not " + size));
        }
        read++;
      } catch (NoSuchObjectException e) {
        problems.add(new Problem("missing-wal", node.node(), name,
            "missing: the backup needs WAL " + node.startWal() + " to " + node.stopWal() + " to become consistent"));
      } catch (IOException e) {
        problems.add(new Problem("damaged-wal", node.node(), name, "does not decode: " + e.getMessage()));
      }
    }
    WalArchive.Continuity after = new WalArchive(repo).continuity(backup.cluster(), node.node(), node.timeline(), last + 1,
        size);
    for (WalArchive.Gap gap : after.gaps()) {
      problems.add(new Problem("wal-gap", node.node(), gap.first() + ".." + gap.last(), "missing from the archive:"
          + " point-in-time recovery cannot pass " + gap.first()));
    }
    newest.add(node.node() + ": " + (after.newest() == null ? node.stopWal() : after.newest()));
    checkLaterTimelines(backup, node, problems);
    return read;
  }

  /**
   * Later timelines (after a promotion) are where recovery to "latest" goes: each needs its history
   * file, and its WAL must be continuous from the point where it branched off.
   */
  private void checkLaterTimelines(BackupRecord backup, NodeBackupRecord node, List<Problem> problems) throws IOException {
    String walPrefix = RepositoryLayout.wal(backup.cluster(), node.node());
    List<Integer> timelines = new ArrayList<>();
    try (var folders = repo.list(walPrefix)) {
      folders.filter(Listing::folder).map(Listing::name).filter(n -> n.matches("[0-9A-F]{8}"))
          .map(n -> (int) Long.parseLong(n, 16)).filter(t -> t > node.timeline()).forEach(timelines::add);
    }
    for (int timeline : timelines) {
      String history = WalFileName.historyFile(timeline);
      TimelineHistory parsed;
      try (InputStream in = new ZstdInputStreamNoFinalizer(
          repo.read(RepositoryLayout.walObject(backup.cluster(), node.node(), history)))) {
        parsed = TimelineHistory.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (NoSuchObjectException e) {
        problems.add(new Problem("timeline", node.node(), history, "timeline " + timeline
            + " has WAL but no history file: recovery cannot follow it"));
        continue;
      }
      if (!parsed.descendsFrom(node.timeline())) {
        continue; // a branch of some other history: not this backup's business
      }
      long size = node.walSegmentSize();
      long branched = WalFileName.segmentNumber(parsed.branchPoint(), size);
      for (WalArchive.Gap gap : new WalArchive(repo).continuity(backup.cluster(), node.node(), timeline, branched, size)
          .gaps()) {
        problems.add(new Problem("wal-gap", node.node(), gap.first() + ".." + gap.last(), "missing from the archive of"
            + " timeline " + timeline + ": point-in-time recovery on it cannot pass " + gap.first()));
      }
    }
  }
}
