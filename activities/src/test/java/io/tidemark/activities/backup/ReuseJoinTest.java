package io.tidemark.activities.backup;

import io.tidemark.activities.Json;
import io.tidemark.activities.files.ListedFile;
import io.tidemark.activities.repository.LocalRepository;
import io.tidemark.activities.repository.RepositoryLayout;
import io.tidemark.activities.transfer.Ndjson;
import io.tidemark.activities.transfer.StoredFile;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ReuseJoinTest {

  @TempDir
  Path tmp;

  @Test
  void matchesBySizeAndMtimeAcrossPartitionsKeepsListOrderAndPrefersTheNewestSession() throws IOException {
    LocalRepository repo = new LocalRepository(tmp.resolve("repo"));
    String node = RepositoryLayout.node("main", "20261121-103000F", "n1");
    int files = 25_000;
    // Session 1 stored every even file; session 2 (newer) stored every file divisible by 4 again.
    // Every 10th file changed size since.
    try (Ndjson.Writer<StoredFile> s1 = Ndjson.create(repo, node + RepositoryLayout.storedFiles(1, 0), StoredFile.class);
        Ndjson.Writer<StoredFile> s2 = Ndjson.create(repo, node + RepositoryLayout.storedFiles(2, 0), StoredFile.class)) {
      for (int i = 0; i < files; i += 2) {
        s1.add(copy(i, "s1/data/b00000-a1-0000"));
        if (i % 4 == 0) {
          s2.add(copy(i, "s2/data/b00000-a1-0000"));
        }
      }
      s1.commit();
      s2.commit();
    }
    Path spool = tmp.resolve("spool");
    try (BufferedWriter out = Files.newBufferedWriter(spool, StandardCharsets.UTF_8)) {
      for (int i = files - 1; i >= 0; i--) { // an order unlike the copies'
        out.write(Json.MAPPER.writeValueAsString(new ListedFile(path(i), i % 10 == 0 ? 1 : 8192, 1000L + i)));
        out.newLine();
      }
    }
    Path work = Files.createDirectories(tmp.resolve("work"));

    ReuseJoin.Outcome outcome = new ReuseJoin(work, 4_000).annotate(spool, files,
        new EarlierCopies(repo, node), 3);

    List<String> lines = Files.readAllLines(spool);
    assertEquals(files, lines.size());
    long expected = 0;
    for (int k = 0; k < files; k++) {
      int i = files - 1 - k;
      ListedFile f = Json.MAPPER.readValue(lines.get(k), ListedFile.class);
      assertEquals(path(i), f.path(), "list order is kept");
      if (i % 2 == 0 && i % 10 != 0) {
        expected++;
        assertEquals(i % 4 == 0 ? "s2/data/b00000-a1-0000" : "s1/data/b00000-a1-0000", f.earlier().pack(), f.path());
      } else {
        assertNull(f.earlier(), f.path());
      }
    }
    assertEquals(expected, outcome.candidates());
    assertEquals(files / 2 + files / 4, outcome.earlierCopies());
  }

  private static String path(int i) {
    return "base/5/" + (100000 + i);
  }

  private static StoredFile copy(int i, String pack) {
    return new StoredFile(path(i), 8192, 1000L + i, "0000abcd", pack, 0, 100, "zstd");
  }
}
