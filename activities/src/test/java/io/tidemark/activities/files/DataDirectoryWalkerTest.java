package io.tidemark.activities.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirectoryWalkerTest {

  @TempDir
  Path tmp;

  private void file(Path root, String rel, int size) throws IOException {
    Path p = root.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.write(p, new byte[size]);
  }

  private final List<ListedFile> files = new ArrayList<>();
  private final List<DirectoryEntry> dirs = new ArrayList<>();

  private void walk(Path data, int major) throws IOException {
    new DataDirectoryWalker(data, major, new DataDirectoryWalker.Sink() {
      @Override
      public void file(ListedFile f) {
        files.add(f);
      }

      @Override
      public void directory(DirectoryEntry d) {
        dirs.add(d);
      }
    }).walk();
  }

  private Set<String> filePaths() {
    Set<String> s = new TreeSet<>();
    files.forEach(f -> s.add(f.path()));
    return s;
  }

  private Set<String> dirPaths() {
    Set<String> s = new TreeSet<>();
    dirs.forEach(d -> s.add(d.path()));
    return s;
  }

  @Test
  void listsWhatPostgresBacksUpAndNothingElse() throws IOException {
    Path data = tmp.resolve("data");
    for (String f : List.of("PG_VERSION", "postgresql.conf", "postgresql.auto.conf", "global/pg_control", "global/1262",
        "base/1/1259", "base/1/PG_VERSION", "base/16384/16390", "base/16384/16390.1", "base/16384/16390_fsm",
        "base/16384/16400_init", "pg_xact/0000", "pg_stat/pgstat.stat")) {
      file(data, f, 100);
    }
    for (String f : List.of("postmaster.pid", "postmaster.opts", "backup_label", "tablespace_map",
        "pg_wal/000000010000000000000001", "pg_wal/archive_status/000000010000000000000001.done",
        "pg_stat_tmp/global.stat", "pg_replslot/slot1/state", "pg_subtrans/0000", "pg_notify/0000",
        "base/16384/16400", "base/16384/16400_fsm", "base/16384/16400.1", "base/16384/t3_16500",
        "base/pgsql_tmp/pgsql_tmp123.0", "base/16384/pgsql_tmp99", "global/pg_internal.init",
        "base/16384/pg_internal.init",
        "pg_wal/tidemark-spool/fetch/main/pg1/7000000000000000001/000000010000000000000002.10.1")) {
      file(data, f, 10);
    }
    Files.createDirectories(data.resolve("pg_wal/summaries"));

    walk(data, 15);

    assertEquals(new TreeSet<>(List.of("PG_VERSION", "postgresql.conf", "postgresql.auto.conf", "global/pg_control",
        "global/1262", "base/1/1259", "base/1/PG_VERSION", "base/16384/16390", "base/16384/16390.1",
        "base/16384/16390_fsm", "base/16384/16400_init", "pg_xact/0000", "pg_stat/pgstat.stat")), filePaths());
    Set<String> d = dirPaths();
    for (String kept : List.of("pg_wal", "pg_wal/archive_status", "pg_wal/summaries", "pg_stat_tmp", "pg_replslot",
        "pg_subtrans", "pg_notify", "base", "base/1", "base/16384", "global", "pg_xact")) {
      assertTrue(d.contains(kept), "directory " + kept + " is kept");
    }
    assertFalse(d.contains("pg_replslot/slot1"), "contents of pg_replslot are left out, directories too");
    assertFalse(d.contains("base/pgsql_tmp"));
    assertFalse(d.stream().anyMatch(p -> p.contains("tidemark-spool")), "Tidemark's WAL spool is left out entirely");
    ListedFile control = files.stream().filter(f -> f.path().equals("global/pg_control")).findFirst().orElseThrow();
    assertEquals(100, control.size());
    assertTrue(control.mtime() > 0);
  }

  @Test
  void followsTablespaceLinksIntoThisVersionsDirectoryOnly() throws IOException {
    Path data = tmp.resolve("data");
    Path location = tmp.resolve("ts1");
    file(data, "global/pg_control", 8);
    file(location, "PG_15_202209061/16384/16500", 100);
    file(location, "PG_15_202209061/16384/t2_16600", 10);
    file(location, "PG_16_202307071/16384/16500", 100);
    Files.createDirectories(data.resolve("pg_tblspc"));
    Files.createSymbolicLink(data.resolve("pg_tblspc/16390"), location);

    walk(data, 15);

    assertEquals(Set.of("global/pg_control", "pg_tblspc/16390/PG_15_202209061/16384/16500"), filePaths());
    DirectoryEntry link = dirs.stream().filter(DirectoryEntry::hasLink).findFirst().orElseThrow();
    assertEquals("pg_tblspc/16390", link.path());
    assertEquals(location.toString(), link.link());
    assertTrue(dirPaths().contains("pg_tblspc/16390/PG_15_202209061/16384"));
  }

  @Test
  void aWalDirectoryOnAnotherDiskIsKeptAsAnEmptyDirectory() throws IOException {
    Path data = tmp.resolve("data");
    Path walDisk = tmp.resolve("waldisk");
    file(data, "global/pg_control", 8);
    file(walDisk, "000000010000000000000001", 10);
    Files.createDirectories(walDisk.resolve("archive_status"));
    Files.createSymbolicLink(data.resolve("pg_wal"), walDisk);

    walk(data, 16);

    assertEquals(Set.of("global/pg_control"), filePaths());
    assertTrue(dirPaths().containsAll(List.of("pg_wal", "pg_wal/archive_status")));
    assertFalse(dirs.stream().anyMatch(DirectoryEntry::hasLink), "pg_wal is restored as a plain directory");
  }
}
