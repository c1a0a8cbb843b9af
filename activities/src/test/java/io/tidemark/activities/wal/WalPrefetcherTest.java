package io.tidemark.activities.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.activities.repository.LocalRepository;
import io.tidemark.activities.wal.spool.SpoolEntry;
import io.tidemark.activities.wal.spool.WalSpool;
import io.tidemark.workflows.model.WalFileName;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool's rules with a real local repository: 1 MiB segments, so each test moves a few MiB. */
class WalPrefetcherTest {

  static final long MB = 1 << 20;

  @TempDir
  Path tmp;
  CountingRepository repo;
  WalSpool spool;
  Path pgWal;
  final Map<String, byte[]> archived = new HashMap<>();

  @BeforeEach
  void setUp() throws Exception {
    repo = new CountingRepository(new LocalRepository(tmp.resolve("repo")));
    pgWal = Files.createDirectories(tmp.resolve("pg_wal"));
    spool = WalSpool.open(tmp.resolve("spool"), WalSpool.FETCH, "main", "pg1", "7000000000000000001");
    WalPusher pusher = new WalPusher(repo, 1);
    Path source = Files.createDirectories(tmp.resolve("source"));
    for (long n = 1; n <= 12; n++) {
      String name = WalFileName.segmentName(1, n, MB);
      byte[] b = new byte[(int) MB];
      new Random(n).nextBytes(b);
      archived.put(name, b);
      pusher.push("main", "pg1", Files.write(source.resolve(name), b), null);
    }
  }

  private WalPrefetcher prefetcher(int window) {
    return new WalPrefetcher(new WalFetcher(repo), spool, window, 3);
  }

  private static String seg(long n) {
    return WalFileName.segmentName(1, n, MB);
  }

  private WalPrefetcher.Result fetch(WalPrefetcher p, long n) throws Exception {
    WalPrefetcher.Result r = p.fetch("main", "pg1", seg(n), pgWal.resolve("RECOVERYXLOG"));
    if (r.outcome() == WalFetcher.Outcome.FETCHED) {
      assertArrayEquals(archived.get(seg(n)), Files.readAllBytes(pgWal.resolve("RECOVERYXLOG")), seg(n));
    }
    return r;
  }

  @Test
  void replayReadsEachSegmentFromTheRepositoryOnceAndMostFromTheSpool() throws Exception {
    WalPrefetcher p = prefetcher(4);
    int fromSpool = 0;
    for (long n = 1; n <= 12; n++) {
      WalPrefetcher.Result r = fetch(p, n);
      fromSpool += r.source() == WalPrefetcher.Source.SPOOL ? 1 : 0;
    }
    assertEquals(11, fromSpool, "all but the first from the spool");
    for (long n = 1; n <= 12; n++) {
      assertEquals(1, repo.readsOf(seg(n)), "one GET of " + seg(n));
    }
    assertEquals(WalPrefetcher.Source.NOT_IN_ARCHIVE, fetch(p, 13).source(), "a missing segment is still missing");
    assertEquals(List.of(), spool.entries(), "consumed entries are gone; nothing was spooled past the archive's end");
  }

  @Test
  void aTruncatedOrDamagedSpoolFileIsNotServedButFetchedAgain() throws Exception {
    WalPrefetcher p = prefetcher(4);
    fetch(p, 1);
    SpoolEntry two = spool.find(seg(2)).orElseThrow();
    SpoolEntry three = spool.find(seg(3)).orElseThrow();
    try (RandomAccessFile f = new RandomAccessFile(spool.path(two).toFile(), "rw")) {
      f.setLength(MB / 2);
    }
    try (RandomAccessFile f = new RandomAccessFile(spool.path(three).toFile(), "rw")) {
      f.seek(1000);
      f.write(f.read() ^ 0x40);
    }
    WalPrefetcher.Result r2 = fetch(p, 2);
    assertEquals(WalPrefetcher.Source.REPOSITORY, r2.source());
    assertTrue(r2.rejected());
    WalPrefetcher.Result r3 = fetch(p, 3);
    assertEquals(WalPrefetcher.Source.REPOSITORY, r3.source());
    assertTrue(r3.rejected());
    assertEquals(2, repo.readsOf(seg(3)), "fetched again from the repository");
    assertTrue(Files.readString(spool.logFile()).contains("rejected " + seg(3)));
  }

  @Test
  void aSpoolOfAnotherSystemIsNeverRead() throws Exception {
    prefetcher(4).fetch("main", "pg1", seg(1), pgWal.resolve("RECOVERYXLOG"));
    WalSpool other = WalSpool.open(tmp.resolve("spool"), WalSpool.FETCH, "main", "pg1", "7000000000000000002");
    assertFalse(other.find(seg(2)).isPresent());
    WalPrefetcher.Result r = new WalPrefetcher(new WalFetcher(repo), other, 4, 3)
        .fetch("main", "pg1", seg(2), pgWal.resolve("RECOVERYXLOG"));
    assertEquals(WalPrefetcher.Source.REPOSITORY, r.source());
  }

  @Test
  void historyFilesAndMissingFilesKeepTodaysBehaviour() throws Exception {
    WalPrefetcher p = prefetcher(4);
    assertEquals(WalFetcher.Outcome.NOT_IN_ARCHIVE,
        p.fetch("main", "pg1", "00000002.history", pgWal.resolve("RECOVERYHISTORY")).outcome());
    assertEquals(WalFetcher.Outcome.NOT_IN_ARCHIVE, p.fetch("main", "pg1", seg(40), pgWal.resolve("X")).outcome());
    assertEquals(List.of(), spool.entries(), "nothing prefetched after a missing segment");
    assertFalse(Files.exists(pgWal.resolve("X")));
  }

  @Test
  void theRepositoryIsNotOpenedWhenTheSpoolServes() throws Exception {
    prefetcher(8).fetch("main", "pg1", seg(1), pgWal.resolve("RECOVERYXLOG"));
    int[] opened = {0};
    WalFetcher lazy = new WalFetcher(() -> {
      opened[0]++;
      return repo;
    });
    new WalPrefetcher(lazy, spool, 8, 3).fetch("main", "pg1", seg(2), pgWal.resolve("RECOVERYXLOG"));
    assertEquals(0, opened[0]);
  }
}
