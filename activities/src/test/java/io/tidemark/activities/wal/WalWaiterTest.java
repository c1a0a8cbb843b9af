package io.tidemark.activities.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tidemark.activities.repository.LocalRepository;
import io.tidemark.activities.repository.RepositoryLayout;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalWaiterTest {

  static final long MB16 = 16L << 20;

  @TempDir
  Path tmp;

  private void archive(LocalRepository repo, String name) throws Exception {
    repo.put(RepositoryLayout.walObject("main", "n1", name), new byte[] {1});
  }

  @Test
  void returnsOnceTheWholeRangeIsThereEvenAcrossALogicalFileBoundary() throws Exception {
    LocalRepository repo = new LocalRepository(tmp);
    for (String s : List.of("0000000100000000000000FE", "0000000100000000000000FF", "000000010000000100000000",
        "000000010000000100000001")) {
      archive(repo, s);
    }
    archive(repo, "0000000100000000000000FE.00000028.backup");
    assertNull(new WalWaiter(repo, Clock.systemUTC()).await("main", "n1", 1, "0000000100000000000000FE",
        "000000010000000100000001", MB16, Duration.ofSeconds(5), s -> {}));
  }

  @Test
  void namesTheFirstMissingSegmentWhenTimeRunsOut() throws Exception {
    LocalRepository repo = new LocalRepository(tmp);
    archive(repo, "000000010000000000000002");
    archive(repo, "000000010000000000000004");
    List<String> waitedFor = new ArrayList<>();
    String missing = new WalWaiter(repo, Clock.systemUTC()).await("main", "n1", 1, "000000010000000000000002",
        "000000010000000000000004", MB16, Duration.ofMillis(1500), waitedFor::add);
    assertEquals("000000010000000000000003", missing);
    assertEquals("000000010000000000000003", waitedFor.get(0));
  }

  @Test
  void seesSegmentsArriveWhileItWaits() throws Exception {
    LocalRepository repo = new LocalRepository(tmp);
    archive(repo, "000000010000000000000002");
    Thread late = new Thread(() -> {
      try {
        Thread.sleep(1200);
        archive(repo, "000000010000000000000003");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    late.start();
    assertNull(new WalWaiter(repo, Clock.systemUTC()).await("main", "n1", 1, "000000010000000000000002",
        "000000010000000000000003", MB16, Duration.ofSeconds(20), s -> {}));
    late.join();
  }

  @Test
  void pollsQuicklyAtFirstAndBacksOffToOneSecond() {
    List<Long> pauses = new ArrayList<>();
    for (long p = WalWaiter.FIRST_PAUSE_MILLIS; pauses.size() < 8; p = WalWaiter.nextPause(p)) {
      pauses.add(p);
    }
    assertEquals(List.of(50L, 100L, 200L, 400L, 800L, 1000L, 1000L, 1000L), pauses);
  }
}
