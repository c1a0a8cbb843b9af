package io.tidemark.activities.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tidemark.activities.repository.LocalRepository;
import io.tidemark.activities.repository.RepositoryLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalFetcherTest {

  @TempDir
  Path tmp;

  @Test
  void fetchesWhatWasPushedAndNothingElse() throws Exception {
    LocalRepository repo = new LocalRepository(tmp.resolve("repo"));
    byte[] segment = new byte[1 << 20];
    new Random(5).nextBytes(segment);
    Path source = Files.write(tmp.resolve("000000010000000000000007"), segment);
    new WalPusher(repo, 1).push("main", "pg1", source, null);

    Path pgWal = Files.createDirectories(tmp.resolve("pg_wal"));
    WalFetcher fetcher = new WalFetcher(repo);
    assertEquals(WalFetcher.Outcome.FETCHED, fetcher.fetch("main", "pg1", "000000010000000000000007", pgWal.resolve("RECOVERYXLOG")));
    assertArrayEquals(segment, Files.readAllBytes(pgWal.resolve("RECOVERYXLOG")));
    assertEquals(WalFetcher.Outcome.NOT_IN_ARCHIVE,
        fetcher.fetch("main", "pg1", "000000010000000000000008", pgWal.resolve("RECOVERYXLOG2")));
    assertEquals(WalFetcher.Outcome.NOT_IN_ARCHIVE, fetcher.fetch("main", "pg1", "00000002.history", pgWal.resolve("RECOVERYHISTORY")));
    try (Stream<Path> left = Files.list(pgWal)) {
      assertEquals(1, left.count(), "no temporary files, nothing for missing files");
    }
  }

  @Test
  void aDamagedObjectIsAnErrorNotAMissingFile() throws Exception {
    LocalRepository repo = new LocalRepository(tmp.resolve("repo"));
    repo.put(RepositoryLayout.walObject("main", "pg1", "000000010000000000000009"), new byte[] {1, 2, 3, 4});
    assertThrows(IOException.class, () -> new WalFetcher(repo).fetch("main", "pg1", "000000010000000000000009",
        tmp.resolve("out")));
    assertEquals(false, Files.exists(tmp.resolve("out")));
  }
}
