package io.tidemark.activities.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tidemark.activities.files.DirectoryEntry;
import io.tidemark.activities.files.ListedFile;
import io.tidemark.activities.repository.LocalRepository;
import io.tidemark.activities.repository.RepositoryLayout;
import io.tidemark.activities.runtime.Heartbeat;
import io.tidemark.activities.transfer.Ndjson;
import io.tidemark.workflows.activities.NodeBackupActivities.FileListSummary;
import io.tidemark.workflows.activities.NodeBackupActivities.SendFileListInput;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How SendFileList cuts a node's files into batches. */
class FileListSenderTest {

  static final String BACKUP = "20261121-103000F";
  static final long MIB = 1 << 20;

  @TempDir
  Path tmp;

  @Test
  void largeFilesComeFirstLargestFirstEachAloneThenTheRestInWalkOrderAndPgControlLast() throws IOException {
    LocalRepository repo = new LocalRepository(tmp.resolve("repo"));
    // 200 small files around three 1 GiB segments and a 600 MiB one: 3.7 GiB in all, so with
    // parallelism 2 a batch holds about 3.7 GiB / 16 ≈ 240 MiB.
    List<ListedFile> walk = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      walk.add(new ListedFile("base/5/" + (20000 + i), 8192 * (1 + i % 4), 1L));
      if (i == 50) {
        walk.add(new ListedFile("base/5/16396", 1024 * MIB, 1L));
        walk.add(new ListedFile("base/5/16396.1", 1024 * MIB, 1L));
      }
      if (i == 120) {
        walk.add(new ListedFile("base/5/16402", 600 * MIB, 1L));
        walk.add(new ListedFile("base/5/16396.2", 1024 * MIB, 1L));
      }
    }
    SendFileListInput in = new SendFileListInput("main", "n1", BACKUP, 1, 160000, 2);
    FileListSummary summary = new FileListSender(repo).send(in, sink -> {
      sink.directory(DirectoryEntry.directory("base"));
      for (ListedFile f : walk) {
        sink.file(f);
      }
      sink.file(new ListedFile("global/pg_control", 8192, 1L));
    }, "synthetic", Heartbeat.none());

    List<List<String>> batches = new ArrayList<>();
    for (int b = 0; b < summary.batches(); b++) {
      List<String> paths = new ArrayList<>();
      try (Ndjson.CloseableIterator<ListedFile> list = Ndjson.read(repo,
          RepositoryLayout.node("main", BACKUP, "n1") + RepositoryLayout.fileList(1, b), ListedFile.class)) {
        list.forEachRemaining(f -> paths.add(f.path()));
      }
      batches.add(paths);
    }
    assertEquals(List.of("base/5/16396"), batches.get(0));
    assertEquals(List.of("base/5/16396.1"), batches.get(1));
    assertEquals(List.of("base/5/16396.2"), batches.get(2));
    assertEquals(List.of("base/5/16402"), batches.get(3));
    assertEquals(List.of("global/pg_control"), batches.get(batches.size() - 1));
    List<String> rest = batches.subList(4, batches.size() - 1).stream().flatMap(List::stream).toList();
    assertEquals(walk.stream().filter(f -> f.size() < 100 * MIB).map(ListedFile::path).toList(), rest,
        "the small files, every one, in walk order");
    assertEquals(walk.size() + 1, summary.files());
  }

  @Test
  void largeFilesThatCompressPoorlyGoBeforeLargerOnesThatCompressWell() throws IOException {
    LocalRepository repo = new LocalRepository(tmp.resolve("repo"));
    Path data = tmp.resolve("data");
    java.nio.file.Files.createDirectories(data.resolve("base/5"));
    // 48 MiB of zeros (a heap that compresses 40x, say) and 20 MiB of random bytes (an index that
    // compresses poorly): both large enough for a batch of their own (16 MiB here).
    // With as many slots as large files, the order would not matter and nothing is sampled.
    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(data.resolve("base/5/16396").toFile(), "rw")) {
      f.setLength(48 * MIB);
    }
    byte[] random = new byte[(int) (20 * MIB)];
    new java.util.Random(3).nextBytes(random);
    java.nio.file.Files.write(data.resolve("base/5/16404"), random);
    // One slot: the order decides which file waits.
    SendFileListInput in = new SendFileListInput("main", "n1", BACKUP, 1, 160000, 1);
    FileListSummary summary = new FileListSender(repo, 1).send(in, sink -> {
      sink.file(new ListedFile("base/5/16396", 48 * MIB, 1L));
      sink.file(new ListedFile("base/5/16404", 20 * MIB, 1L));
      sink.file(new ListedFile("base/5/1259", 8192, 1L));
      sink.file(new ListedFile("global/pg_control", 8192, 1L));
    }, data.toString(), CopyCost.sampled(data, 1), Heartbeat.none());

    assertEquals(4, summary.batches());
    assertEquals(List.of("base/5/16404"), paths(repo, 0), "the dearer file first, though smaller");
    assertEquals(List.of("base/5/16396"), paths(repo, 1));
    assertEquals(List.of("base/5/1259"), paths(repo, 2));
    assertEquals(List.of("global/pg_control"), paths(repo, 3));
  }

  @Test
  void noFileIsSampledWhenEveryLargeFileHasASlot() throws IOException {
    LocalRepository repo = new LocalRepository(tmp.resolve("repo"));
    CopyCost refuse = file -> {
      throw new AssertionError("sampled " + file.path() + " with a slot for every large file");
    };
    SendFileListInput in = new SendFileListInput("main", "n1", BACKUP, 1, 160000, 2);
    FileListSummary summary = new FileListSender(repo, 1).send(in, sink -> {
      sink.file(new ListedFile("base/5/16396", 48 * MIB, 1L));
      sink.file(new ListedFile("base/5/16404", 20 * MIB, 1L));
      sink.file(new ListedFile("global/pg_control", 8192, 1L));
    }, "synthetic", refuse, Heartbeat.none());
    assertEquals(List.of("base/5/16396"), paths(repo, 0), "by size");
    assertEquals(3, summary.batches());
  }

  private static List<String> paths(LocalRepository repo, int batch) throws IOException {
    List<String> paths = new ArrayList<>();
    try (Ndjson.CloseableIterator<ListedFile> list = Ndjson.read(repo,
        RepositoryLayout.node("main", BACKUP, "n1") + RepositoryLayout.fileList(1, batch), ListedFile.class)) {
      list.forEachRemaining(f -> paths.add(f.path()));
    }
    return paths;
  }
}
