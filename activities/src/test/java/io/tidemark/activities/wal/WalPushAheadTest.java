package io.tidemark.activities.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.Zstd;
import io.tidemark.activities.repository.LocalRepository;
import io.tidemark.activities.repository.RepositoryLayout;
import io.tidemark.activities.wal.spool.PushStats;
import io.tidemark.activities.wal.spool.PushStatsFile;
import io.tidemark.activities.wal.spool.PushTiming;
import io.tidemark.activities.wal.spool.WalSpool;
import io.tidemark.workflows.model.WalFileName;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalPushAheadTest {

  static final long MB = 1 << 20;

  @TempDir
  Path tmp;
  CountingRepository repo;
  WalPusher pusher;
  WalSpool marks;
  Path pgWal;

  @BeforeEach
  void setUp() throws Exception {
    repo = new CountingRepository(new LocalRepository(tmp.resolve("repo")));
    pusher = new WalPusher(repo, 1);
    marks = WalSpool.open(tmp.resolve("spool"), WalSpool.PUSH, "main", "pg1", "7000000000000000001");
    pgWal = Files.createDirectories(tmp.resolve("pg_wal"));
    Files.createDirectories(pgWal.resolve("archive_status"));
    for (long n = 1; n <= 6; n++) {
      byte[] b = new byte[(int) MB];
      new Random(n).nextBytes(b);
      Files.write(pgWal.resolve(seg(n)), b);
      Files.createFile(pgWal.resolve("archive_status").resolve(seg(n) + ".ready"));
    }
  }

  private static String seg(long n) {
    return WalFileName.segmentName(1, n, MB);
  }

  private boolean stored(long n) throws IOException {
    if (!repo.inner.exists(RepositoryLayout.walObject("main", "pg1", seg(n)))) {
      return false;
    }
    byte[] z = repo.inner.readAllBytes(RepositoryLayout.walObject("main", "pg1", seg(n)));
    assertArrayEquals(Files.readAllBytes(pgWal.resolve(seg(n))), Zstd.decompress(z, (int) MB));
    return true;
  }

  /** What PostgreSQL does once archive_command succeeded. */
  private void archived(long n) throws IOException {
    Files.move(pgWal.resolve("archive_status").resolve(seg(n) + ".ready"),
        pgWal.resolve("archive_status").resolve(seg(n) + ".done"));
  }

  @Test
  void pushesReadyFilesAheadMarksThemAndAMarkedCallSucceedsAtOnce() throws Exception {
    WalPushAhead ahead = new WalPushAhead(marks, 3, 2);
    assertFalse(ahead.consumeMark(pgWal.resolve(seg(1))));
    WalPushAhead.Result r = ahead.push(pusher, "main", "pg1", pgWal.resolve(seg(1)));
    assertEquals(3, r.pushedAhead());
    archived(1);
    for (long n = 1; n <= 4; n++) {
      assertTrue(stored(n), seg(n));
    }
    assertFalse(stored(5), "no more than asked ahead");
    assertEquals(List.of(seg(2), seg(3), seg(4)), marks.entries().stream().map(e -> e.walName()).sorted().toList());

    repo.failWrites.add("");  // a marked call must not touch the repository: every write would fail now
    assertTrue(ahead.consumeMark(pgWal.resolve(seg(2))));
    assertFalse(marks.find(seg(2)).isPresent(), "the mark is removed");
    assertFalse(ahead.consumeMark(pgWal.resolve(seg(2))), "and counts once");
  }

  @Test
  void aFileWhosePushFailsIsNotMarkedAndTheAskedFileStillSucceeds() throws Exception {
    repo.failWrites.add(seg(3));
    WalPushAhead.Result r = new WalPushAhead(marks, 4, 2).push(pusher, "main", "pg1", pgWal.resolve(seg(1)));
    assertEquals(List.of(seg(3)), r.failedAhead());
    assertEquals(3, r.pushedAhead());
    assertFalse(marks.find(seg(3)).isPresent(), "no mark without a confirmed write");
    assertFalse(stored(3));
    assertTrue(marks.find(seg(2)).isPresent() && marks.find(seg(4)).isPresent());
  }

  @Test
  void aFailedPushOfTheAskedFileFailsTheCall() throws Exception {
    repo.failWrites.add(seg(1));
    assertThrows(IOException.class, () -> new WalPushAhead(marks, 2, 2).push(pusher, "main", "pg1", pgWal.resolve(seg(1))));
    assertFalse(marks.find(seg(1)).isPresent());
  }

  @Test
  void aMarkThatNoLongerMatchesTheFileIsNotTrusted() throws Exception {
    WalPushAhead ahead = new WalPushAhead(marks, 1, 2);
    ahead.push(pusher, "main", "pg1", pgWal.resolve(seg(1)));
    try (RandomAccessFile f = new RandomAccessFile(pgWal.resolve(seg(2)).toFile(), "rw")) {
      f.seek(77);
      f.write(f.read() ^ 1);
    }
    assertFalse(ahead.consumeMark(pgWal.resolve(seg(2))), "size or CRC differs: push it for real");
    assertFalse(marks.find(seg(2)).isPresent());
    assertThrows(WalPusher.WalConflictException.class, () -> ahead.push(pusher, "main", "pg1", pgWal.resolve(seg(2))),
        "and the never-overwrite rule still holds");
  }

  @Test
  void marksOfFilesPostgresqlIsDoneWithAreCleanedAndMarkedFilesAreNotPushedTwice() throws Exception {
    WalPushAhead ahead = new WalPushAhead(marks, 2, 2);
    ahead.push(pusher, "main", "pg1", pgWal.resolve(seg(1)));
    archived(1);
    archived(2); // say archive_command was changed meanwhile: seg 2 was archived without consuming its mark
    repo.reads.clear();
    WalPushAhead.Result r = ahead.push(pusher, "main", "pg1", pgWal.resolve(seg(4)));
    assertFalse(marks.find(seg(2)).isPresent(), "the stale mark is gone");
    assertTrue(marks.find(seg(3)).isPresent(), "seg 3 is still marked, not pushed again");
    assertEquals(2, r.pushedAhead(), "5 and 6");
    assertTrue(marks.find(seg(5)).isPresent() && marks.find(seg(6)).isPresent());
    assertEquals(0, repo.reads.size(), "nothing was found already archived");
  }

  @Test
  void everyTransferIsTimedIntoTheSpoolsStatsAndAMarkedCallAddsNone() throws Exception {
    repo.failWrites.add(seg(3));
    WalPushAhead ahead = new WalPushAhead(marks, 4, 2);
    long before = System.nanoTime();
    ahead.push(pusher, "main", "pg1", pgWal.resolve(seg(1)));
    long callNanos = System.nanoTime() - before;
    PushStats s = PushStatsFile.in(marks).read().orElseThrow();
    assertEquals(1, series(s, PushTiming.ASKED, PushTiming.STORED).count());
    assertEquals(3, series(s, PushTiming.AHEAD, PushTiming.STORED).count(), "2, 4 and 5");
    assertEquals(1, series(s, PushTiming.AHEAD, PushTiming.FAILED).count(), "3");
    assertEquals(3 * MB, series(s, PushTiming.AHEAD, PushTiming.STORED).bytes());
    PushStats.Series asked = series(s, PushTiming.ASKED, PushTiming.STORED);
    assertTrue(asked.sumNanos() > 0 && asked.sumNanos() < callNanos, "the transfer, within the call: " + asked);

    assertTrue(ahead.consumeMark(pgWal.resolve(seg(2))));
    assertEquals(s, PushStatsFile.in(marks).read().orElseThrow(), "an answer from a mark transfers nothing");

    archived(1);
    ahead.push(pusher, "main", "pg1", pgWal.resolve(seg(1))); // PostgreSQL retrying a push it could not confirm
    assertEquals(1, series(PushStatsFile.in(marks).read().orElseThrow(), PushTiming.ASKED,
        PushTiming.ALREADY_ARCHIVED).count());
  }

  private static PushStats.Series series(PushStats s, String push, String outcome) {
    return s.series().stream().filter(x -> x.push().equals(push) && x.outcome().equals(outcome)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + push + "/" + outcome + " in " + s));
  }
}
