package io.tidemark.activities.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.Zstd;
import io.tidemark.activities.repository.LocalRepository;
import io.tidemark.activities.repository.RepositoryLayout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalPusherTest {

  static final String SEGMENT = "000000010000000000000003";

  @TempDir
  Path tmp;
  LocalRepository repo;
  WalPusher pusher;

  @BeforeEach
  void setUp() {
    repo = new LocalRepository(tmp.resolve("repo"));
    pusher = new WalPusher(repo, 1);
  }

  private Path segment(String name, long seed) throws IOException {
    byte[] b = new byte[1 << 20];
    new Random(seed).nextBytes(b);
    Path dir = tmp.resolve("wal-" + seed);
    Files.createDirectories(dir);
    return Files.write(dir.resolve(name), b);
  }

  private Path dataDirectory(long systemIdentifier) throws IOException {
    Path data = tmp.resolve("data-" + systemIdentifier);
    Files.createDirectories(data.resolve("global"));
    byte[] control = ByteBuffer.allocate(296).order(ByteOrder.LITTLE_ENDIAN).putLong(systemIdentifier).array();
    Files.write(data.resolve("global/pg_control"), control);
    return data;
  }

  private byte[] stored(String name) throws IOException {
    byte[] compressed = repo.readAllBytes(RepositoryLayout.walObject("main", "n1", name));
    return Zstd.decompress(compressed, (int) Zstd.getFrameContentSize(compressed) > 0
        ? (int) Zstd.getFrameContentSize(compressed) : 1 << 21);
  }

  @Test
  void storesTheSegmentCompressedUnderItsTimeline() throws IOException {
    Path wal = segment(SEGMENT, 1);
    assertEquals(WalPusher.Outcome.STORED, pusher.push("main", "n1", wal, null));
    assertTrue(repo.exists("main/wal/n1/00000001/" + SEGMENT + ".zst"));
    assertArrayEquals(Files.readAllBytes(wal), decompressed(SEGMENT, Files.size(wal)));
  }

  private byte[] decompressed(String name, long size) throws IOException {
    byte[] compressed = repo.readAllBytes(RepositoryLayout.walObject("main", "n1", name));
    return Zstd.decompress(compressed, (int) size);
  }

  @Test
  void pushingTheSameContentAgainSucceedsWithoutWriting() throws IOException {
    Path wal = segment(SEGMENT, 1);
    pusher.push("main", "n1", wal, null);
    long before = Files.getLastModifiedTime(tmp.resolve("repo/main/wal/n1/00000001/" + SEGMENT + ".zst")).toMillis();
    assertEquals(WalPusher.Outcome.ALREADY_ARCHIVED, pusher.push("main", "n1", wal, null));
    assertEquals(before, Files.getLastModifiedTime(tmp.resolve("repo/main/wal/n1/00000001/" + SEGMENT + ".zst")).toMillis());
  }

  @Test
  void differentContentFailsAndKeepsTheArchivedCopy() throws IOException {
    Path original = segment(SEGMENT, 1);
    pusher.push("main", "n1", original, null);
    Path impostor = segment(SEGMENT, 2);
    WalPusher.WalConflictException e = assertThrows(WalPusher.WalConflictException.class,
        () -> pusher.push("main", "n1", impostor, null));
    assertTrue(e.getMessage().contains(SEGMENT) && e.getMessage().contains("different content"), e.getMessage());
    assertArrayEquals(Files.readAllBytes(original), decompressed(SEGMENT, Files.size(original)));
  }

  @Test
  void concurrentPushesOfOneSegmentLeaveExactlyOneIntactCopy() throws Exception {
    Path wal = segment(SEGMENT, 7);
    int pushers = 6;
    ExecutorService pool = Executors.newFixedThreadPool(pushers);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<WalPusher.Outcome>> outcomes = new ArrayList<>();
    for (int i = 0; i < pushers; i++) {
      outcomes.add(pool.submit(() -> {
        go.await();
        return new WalPusher(repo, 1).push("main", "n1", wal, null);
      }));
    }
    go.countDown();
    int stored = 0;
    for (Future<WalPusher.Outcome> f : outcomes) {
      stored += f.get() == WalPusher.Outcome.STORED ? 1 : 0;
    }
    pool.shutdown();
    assertEquals(1, stored, "one push stores, the others find an identical copy");
    assertArrayEquals(Files.readAllBytes(wal), decompressed(SEGMENT, Files.size(wal)));
    try (var files = Files.list(tmp.resolve("repo/main/wal/n1/00000001"))) {
      assertEquals(List.of(SEGMENT + ".zst"), files.map(p -> p.getFileName().toString()).toList(), "no temporary leftovers");
    }
  }

  @Test
  void historyAndBackupHistoryFilesAreArchivedToo() throws IOException {
    pusher.push("main", "n1", segment("00000002.history", 3), null);
    pusher.push("main", "n1", segment("000000010000000000000003.00000028.backup", 4), null);
    assertTrue(repo.exists("main/wal/n1/00000002/00000002.history.zst"));
    assertTrue(repo.exists("main/wal/n1/00000001/000000010000000000000003.00000028.backup.zst"));
  }

  @Test
  void refusesANameThatIsNotWal() throws IOException {
    Path junk = segment("postgresql.conf", 5);
    IOException e = assertThrows(IOException.class, () -> pusher.push("main", "n1", junk, null));
    assertTrue(e.getMessage().contains("not a WAL file name"));
  }

  @Test
  void anArchiveStaysBoundToTheDatabaseSystemThatStartedIt() throws IOException {
    pusher.push("main", "n1", segment(SEGMENT, 1), dataDirectory(7111111111111111111L));
    pusher.push("main", "n1", segment("000000010000000000000004", 2), dataDirectory(7111111111111111111L));
    Path other = dataDirectory(7222222222222222222L);
    ArchiveGuard.ArchiveMismatchException e = assertThrows(ArchiveGuard.ArchiveMismatchException.class,
        () -> pusher.push("main", "n1", segment("000000010000000000000005", 3), other));
    assertTrue(e.getMessage().contains("7111111111111111111") && e.getMessage().contains("7222222222222222222"));
    assertTrue(!repo.exists(RepositoryLayout.walObject("main", "n1", "000000010000000000000005")), "nothing was stored");
  }
}
