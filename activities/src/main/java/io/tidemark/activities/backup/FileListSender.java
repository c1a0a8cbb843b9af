package io.tidemark.activities.backup;

import io.temporal.failure.ApplicationFailure;
import io.tidemark.activities.Json;
import io.tidemark.activities.files.BatchPlan;
import io.tidemark.activities.files.DataDirectoryWalker;
import io.tidemark.activities.files.DirectoryEntry;
import io.tidemark.activities.files.ExclusionRules;
import io.tidemark.activities.files.ListedFile;
import io.tidemark.activities.postgres.PgVersions;
import io.tidemark.activities.repository.Repository;
import io.tidemark.activities.repository.RepositoryLayout;
import io.tidemark.activities.runtime.Heartbeat;
import io.tidemark.activities.transfer.Ndjson;
import io.tidemark.workflows.Failures;
import io.tidemark.workflows.activities.NodeBackupActivities.FileListSummary;
import io.tidemark.workflows.activities.NodeBackupActivities.SendFileListInput;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * SendFileList: walks the data directory once, spooling the files to a local temporary file while
 * counting them, then cuts the spool into batches sized from the totals (the largest files first,
 * each alone) and writes one list object per batch. global/pg_control goes alone into the last batch, which the workflow sends after all
 * others. Memory stays flat however many files there are.
 */
final class FileListSender {

  private final Repository repo;
  private final int zstdLevel;

  FileListSender(Repository repo) {
    this(repo, 0);
  }

  /** @param zstdLevel the backup's level, at which large files are sampled to order them by cost */
  FileListSender(Repository repo, int zstdLevel) {
    this.repo = repo;
    this.zstdLevel = zstdLevel;
  }

  /** Where the files come from: the data directory, or, in scale tests, a synthetic list. */
  interface Walk {
    void walk(DataDirectoryWalker.Sink sink) throws IOException;
  }

  FileListSummary send(SendFileListInput in, Path dataDirectory, Heartbeat heartbeat) throws IOException {
    int major = PgVersions.major(in.pgVersion());
    return send(in, sink -> new DataDirectoryWalker(dataDirectory, major, sink).walk(), dataDirectory.toString(),
        CopyCost.sampled(dataDirectory, zstdLevel), heartbeat);
  }

  FileListSummary send(SendFileListInput in, Walk files, String dataDirectory, Heartbeat heartbeat)
      throws IOException {
    return send(in, files, dataDirectory, CopyCost.BY_SIZE, heartbeat);
  }

  FileListSummary send(SendFileListInput in, Walk files, String dataDirectory, CopyCost cost, Heartbeat heartbeat)
      throws IOException {
    String nodePrefix = RepositoryLayout.node(in.cluster(), in.backupId(), in.node());
    Path spool = Files.createTempFile("tidemark-filelist-", ".ndjson");
    try {
      Totals totals = walk(files, nodePrefix, in.session(), spool, heartbeat);
      if (totals.pgControl == null) {
        throw ApplicationFailure.newNonRetryableFailure("no global/pg_control in " + dataDirectory
            + ": is dataDirectory of node " + in.node() + " right?", Failures.CONFIGURATION);
      }
      long candidates = in.session() > 1 ? findEarlierCopies(spool, totals.files, nodePrefix, in.session(), heartbeat) : 0;
      BatchPlan plan = BatchPlan.forTotals(totals.files, totals.bytes, in.parallelism());
      int batches = writeBatches(spool, plan, cost, in.parallelism(), nodePrefix, in.session(), heartbeat);
      try (Ndjson.Writer<ListedFile> last = Ndjson.create(repo,
          nodePrefix + RepositoryLayout.fileList(in.session(), batches), ListedFile.class)) {
        last.add(totals.pgControl);
        last.commit();
      }
      return new FileListSummary(totals.files, totals.bytes, totals.directories, batches + 1, candidates);
    } finally {
      Files.deleteIfExists(spool);
    }
  }

  /**
   * A session after a lost one: pairs each listed file with the copy an earlier session stored, if
   * size and mtime match, for SendFiles to reuse once the bytes prove unchanged.
   */
  private long findEarlierCopies(Path spool, long files, String nodePrefix, int session, Heartbeat heartbeat)
      throws IOException {
    Path work = Files.createTempDirectory("tidemark-reuse-");
    try {
      EarlierCopies earlier = new EarlierCopies(repo, nodePrefix);
      ReuseJoin.Outcome outcome = new ReuseJoin(work).annotate(spool, files, earlier, session);
      heartbeat.beat("matched " + outcome.candidates() + " of " + files + " files with earlier copies");
      return outcome.candidates();
    } finally {
      ReuseJoin.deleteTree(work);
    }
  }

  private record Costed(ListedFile file, double cost) {}

  private static final class Totals {
    long files;
    long bytes;
    long directories;
    ListedFile pgControl;
  }

  private Totals walk(Walk files, String nodePrefix, int session, Path spool, Heartbeat heartbeat)
      throws IOException {
    Totals totals = new Totals();
    try (BufferedWriter out = Files.newBufferedWriter(spool, StandardCharsets.UTF_8);
        Ndjson.Writer<DirectoryEntry> dirs = Ndjson.create(repo,
            nodePrefix + RepositoryLayout.directories(session), DirectoryEntry.class)) {
      files.walk(new DataDirectoryWalker.Sink() {
        @Override
        public void file(ListedFile file) throws IOException {
          totals.files++;
          totals.bytes += file.size();
          if (file.path().equals(ExclusionRules.PG_CONTROL)) {
            totals.pgControl = file;
          } else {
            out.write(Json.MAPPER.writeValueAsString(file));
            out.newLine();
          }
          if (totals.files % 1000 == 0) {
            heartbeat.beat("listed " + totals.files + " files");
          }
        }

        @Override
        public void directory(DirectoryEntry directory) throws IOException {
          totals.directories++;
          dirs.add(directory);
        }
      });
      dirs.commit();
    }
    return totals;
  }

  /**
   * Cuts the spool into batch lists. Files of a batch's size or more go first, dearest first, one
   * per batch: a 1 GiB relation segment is among the longest single tasks, and starting the longest
   * tasks first (LPT scheduling) keeps every slot busy to the end instead of leaving one file
   * running alone. The cost is the size weighted by how poorly a sample compresses (CopyCost): an
   * index can take longer than a larger heap segment. Files are sampled only when there are more
   * of them than parallel slots. There are at most about
   * {@code bytes / maxBytes} large files, so sorting them in memory stays small. The rest follow in
   * walk order, cut by the plan.
   */
  private int writeBatches(Path spool, BatchPlan plan, CopyCost cost, int parallelism, String nodePrefix,
      int session, Heartbeat heartbeat) throws IOException {
    List<Costed> large = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(spool, StandardCharsets.UTF_8)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        ListedFile file = Json.MAPPER.readValue(line, ListedFile.class);
        if (plan.isLarge(file.size())) {
          large.add(new Costed(file, file.size()));
        }
      }
    }
    if (large.size() > parallelism) {
      // Only then does the order matter: fewer large files than slots all start at once.
      large.replaceAll(c -> new Costed(c.file(), cost.of(c.file())));
    }
    large.sort(Comparator.comparingDouble(Costed::cost).thenComparingLong(c -> c.file().size()).reversed());
    int batch = 0;
    for (Costed costed : large) {
      ListedFile file = costed.file();
      try (Ndjson.Writer<ListedFile> writer = Ndjson.create(repo,
          nodePrefix + RepositoryLayout.fileList(session, batch++), ListedFile.class)) {
        writer.add(file);
        writer.commit();
      }
    }
    int files = 0;
    long bytes = 0;
    Ndjson.Writer<ListedFile> writer = null;
    try (BufferedReader in = Files.newBufferedReader(spool, StandardCharsets.UTF_8)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        ListedFile file = Json.MAPPER.readValue(line, ListedFile.class);
        if (plan.isLarge(file.size())) {
          continue;
        }
        if (writer == null) {
          writer = Ndjson.create(repo, nodePrefix + RepositoryLayout.fileList(session, batch), ListedFile.class);
        }
        writer.add(file);
        files++;
        bytes += file.size();
        if (plan.isFull(files, bytes)) {
          writer.commit();
          writer = null;
          batch++;
          files = 0;
          bytes = 0;
          heartbeat.beat("wrote " + batch + " batch lists");
        }
      }
      if (writer != null) {
        writer.commit();
        writer = null;
        batch++;
      }
    } finally {
      if (writer != null) {
        writer.close();
      }
    }
    return batch;
  }
}
