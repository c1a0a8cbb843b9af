package io.tidemark.activities.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.activities.repository.LocalRepository;
import io.tidemark.activities.repository.RepositoryLayout;
import io.tidemark.activities.wal.spool.FileChecksum;
import io.tidemark.activities.wal.spool.PushLock;
import io.tidemark.activities.wal.spool.SpoolEntry;
import io.tidemark.activities.wal.spool.WalSpool;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadyWalPushTest {

  static final long SEGMENT_SIZE = 16L << 20;
  static final String SYSTEM = "7222222222222222222";

  @TempDir
  Path tmp;
  LocalRepository repo;
  Path data;
  Path pgWal;
  WalPusher pusher;

  @BeforeEach
  void setUp() throws Exception {
    repo = new LocalRepository(tmp.resolve("repo"));
    pusher = new WalPusher(repo, 1);
    data = tmp.resolve("data");
    pgWal = data.resolve("pg_wal");
    Files.createDirectories(data.resolve("global"));
    Files.createDirectories(pgWal.resolve("archive_status"));
    Files.write(data.resolve("global/pg_control"),
        ByteBuffer.allocate(296).order(ByteOrder.LITTLE_ENDIAN).putLong(Long.parseLong(SYSTEM)).array());
  }

  private Path ready(String name, long seed) throws Exception {
    byte[] b = new byte[1 << 20];
    new Random(seed).nextBytes(b);
    Files.createFile(pgWal.resolve("archive_status").resolve(name + ".ready"));
    return Files.write(pgWal.resolve(name), b);
  }

  private boolean archived(String name) {
    return Files.exists(tmp.resolve("repo").resolve(RepositoryLayout.walObject("main", "n1", name)));
  }

  private Optional<SpoolEntry> mark(String name) throws Exception {
    return WalSpool.open(tmp.resolve("spool"), WalSpool.PUSH, "main", "n1", SYSTEM).find(name);
  }

  private ReadyWalPush agent() {
    return new ReadyWalPush(pusher, data, tmp.resolve("spool"));
  }

  @Test
  void pushesTheReadySegmentsOfItsRangeAndMarksThemForTheArchiver() throws Exception {
    Path a = ready("000000010000000000000003", 1);
    ready("000000010000000000000004", 2);
    ready("000000010000000000000009", 3); // past the range
    ready("000000020000000000000004", 4); // another timeline
    PushLock.of(pgWal).lock("any").close(); // as the archiver's first wal-push leaves it

    assertEquals(2, agent().push("main", "n1", 1, 3, 4, SEGMENT_SIZE));

    assertTrue(archived("000000010000000000000003") && archived("000000010000000000000004"));
    assertFalse(archived("000000010000000000000009") || archived("000000020000000000000004"));
    assertTrue(FileChecksum.of(a).matches(mark("000000010000000000000003").orElseThrow()),
        "the mark records the segment's size and checksum, as the launcher checks them");
    // The archiver's own push of the segment, later: found stored and identical.
    assertEquals(WalPusher.Outcome.ALREADY_ARCHIVED, pusher.store("main", "n1", a));
  }

  @Test
  void skipsASegmentTheArchiverPushedAhead() throws Exception {
    Path a = ready("000000010000000000000003", 1);
    PushLock.of(pgWal).lock("any").close();
    WalSpool.open(tmp.resolve("spool"), WalSpool.PUSH, "main", "n1", SYSTEM)
        .mark("000000010000000000000003", FileChecksum.of(a)); // as wal-push leaves a file it pushed ahead
    assertEquals(0, agent().push("main", "n1", 1, 3, 3, SEGMENT_SIZE));
    assertFalse(archived("000000010000000000000003"), "not pushed again (here: the fake 'ahead' stored nothing)");
  }

  @Test
  void leavesEverythingToTheArchiverWhereNoWalPushHasRun() throws Exception {
    ready("000000010000000000000003", 1);
    assertEquals(0, agent().push("main", "n1", 1, 3, 3, SEGMENT_SIZE));
    assertFalse(archived("000000010000000000000003"));
    assertTrue(mark("000000010000000000000003").isEmpty());
  }

  @Test
  void waitsForTheArchiversPushAndSkipsWhatItFinished() throws Exception {
    String name = "000000010000000000000003";
    ready(name, 1);
    PushLock.Held archiver = PushLock.of(pgWal).lock(name); // the archiver is pushing it
    CompletableFuture<Integer> agent =
        CompletableFuture.supplyAsync(() -> agent().push("main", "n1", 1, 3, 3, SEGMENT_SIZE));
    Thread.sleep(300);
    assertFalse(agent.isDone(), "the agent waits for the archiver's push of the same segment");
    // The archiver's push ends and PostgreSQL marks the segment done.
    Files.move(pgWal.resolve("archive_status").resolve(name + ".ready"),
        pgWal.resolve("archive_status").resolve(name + ".done"));
    archiver.close();
    assertEquals(0, agent.get(10, TimeUnit.SECONDS));
    assertFalse(archived(name), "the agent did not push what the archiver had");
  }
}
