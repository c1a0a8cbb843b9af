package io.tidemark.activities.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tidemark.activities.files.DirectoryEntry;
import io.tidemark.activities.files.ListedFile;
import io.tidemark.activities.repository.LocalRepository;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every list Tidemark stores reads back exactly as it was written. */
class ListFormatsTest {

  @TempDir
  Path tmp;

  private <T> List<T> roundTrip(List<T> entries, Class<T> type) throws Exception {
    LocalRepository repo = new LocalRepository(tmp);
    String key = "list-" + type.getSimpleName();
    try (Ndjson.Writer<T> w = Ndjson.create(repo, key, type)) {
      for (T e : entries) {
        w.add(e);
      }
      w.commit();
    }
    List<T> back = new ArrayList<>();
    Ndjson.forEach(repo, key, type, back::add);
    return back;
  }

  @Test
  void directoriesAndTablespaceLinks() throws Exception {
    List<DirectoryEntry> dirs = List.of(DirectoryEntry.directory("pg_wal"), DirectoryEntry.directory("base/16384"),
        new DirectoryEntry("pg_tblspc/16390", "/srv/ts1"));
    List<DirectoryEntry> back = roundTrip(dirs, DirectoryEntry.class);
    assertEquals(dirs, back);
    assertEquals(List.of(false, false, true), back.stream().map(DirectoryEntry::hasLink).toList());
  }

  @Test
  void listedAndStoredFiles() throws Exception {
    List<ListedFile> listed = List.of(new ListedFile("base/1/1259", 8192, 1_700_000_000_123L),
        new ListedFile("naïve/ünïcode", 0, 1));
    assertEquals(listed, roundTrip(listed, ListedFile.class));
    List<StoredFile> stored = List.of(new StoredFile("global/pg_control", 8192, 1, "0a1b2c3d", "s1/data/b00001-a1-0000",
        0, 91, "zstd"));
    assertEquals(stored, roundTrip(stored, StoredFile.class));
  }
}
