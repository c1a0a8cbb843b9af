package io.tidemark.workers.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import io.tidemark.activities.Json;
import io.tidemark.activities.postgres.ControlFile;
import io.tidemark.activities.postgres.PgCtl;
import io.tidemark.activities.repository.RepositoryLayout;
import io.tidemark.infra.FreePorts;
import io.tidemark.infra.postgres.LocalPostgres;
import io.tidemark.workflows.backup.BackupRequest;
import io.tidemark.workflows.model.BackupRecord;
import io.tidemark.workflows.restore.RestoreResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * wal-push's work ahead and wal-fetch's prefetch through the real launcher, PostgreSQL and S3
 * server: a backlog of WAL archived ahead (and the marked calls answered at once), a point-in-time
 * restore whose recovery is served from the spool and holds the source's rows; a damaged or
 * truncated spooled segment fetched again rather than served; a file whose push fails left unmarked.
 */
class WalSpoolIT {

  static final String CLUSTER = "walspool";

  @TempDir
  Path tmp;

  record Launched(int status, String output) {}

  /** The real ./tidemark, as PostgreSQL runs it, in a working directory. */
  private static Launched launcher(TestSetup setup, Path workingDirectory, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Services.checkout().resolve("tidemark").toString(), "--config",
        setup.configFile.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(workingDirectory.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "tidemark " + String.join(" ", args) + " hangs");
    return new Launched(p.exitValue(), out);
  }

  private static Path spool(Path dataDirectory, String kind) throws IOException {
    return dataDirectory.resolve("pg_wal/tidemark-spool").resolve(kind).resolve(CLUSTER).resolve("n1")
        .resolve(ControlFile.systemIdentifier(dataDirectory));
  }

  private static List<String> log(Path spool) throws IOException {
    Path log = spool.resolve("activity.log");
    return Files.exists(log) ? Files.readAllLines(log) : List.of();
  }

  private static long count(List<String> lines, String what) {
    return lines.stream().filter(l -> l.contains(what)).count();
  }

  private static byte[] archived(TestSetup setup, String name) throws IOException {
    try (InputStream in = new ZstdInputStreamNoFinalizer(setup.repository().read(RepositoryLayout.walObject(CLUSTER, "n1", name)))) {
      return in.readAllBytes();
    }
  }

  private static void awaitArchived(LocalPostgres pg) throws Exception {
    Instant deadline = Instant.now().plusSeconds(180);
    while (true) {
      try (Connection c = pg.connect()) {
        if ("0".equals(RestoreEndToEndIT.query(c,
            "SELECT count(*)::text FROM pg_ls_dir('pg_wal/archive_status') f WHERE f LIKE '%.ready'"))) {
          return;
        }
      }
      assertTrue(Instant.now().isBefore(deadline), "WAL still waits to be archived: " + pg.serverLog());
      Thread.sleep(200);
    }
  }

  /**
   * The agent pushes the segments a backup waits for itself while the archiver works: with an
   * archiver held up on every file, a backup whose WAL wait allows 15 s completes, its stop segment
   * in the repository before the archiver got anywhere near it. Released, the archiver's own turn
   * for the agent's segments succeeds without a JVM (the launcher finds the agent's marks), and
   * archiving goes on past them without a failure.
   */
  @Test
  void aBackupDoesNotWaitForAHeldUpArchiverToReachItsSegments() throws Exception {
    Path hold = tmp.resolve("hold-the-archiver");
    try (TestSetup setup = new TestSetup("walhelp")) {
      String command = "while test -f " + hold + "; do sleep 0.2; done; " + setup.archiveCommand(CLUSTER, "n1");
      try (LocalPostgres pg = LocalPostgres.start(17, LocalPostgres.Options.defaults().withArchiveCommand(command));
          Connection c = pg.connect(); Statement st = c.createStatement()) {
        try {
          setup.node(CLUSTER, TestSetup.Node.of("n1", pg)).startWorker();
          // A working archiver first: the agent helps only one that has archived and not failed since.
          st.execute("CREATE TABLE t AS SELECT g FROM generate_series(1, 1000) g");
          String first = RestoreEndToEndIT.query(c, "SELECT pg_walfile_name(pg_switch_wal())");
          RestoreEndToEndIT.awaitArchived(setup, CLUSTER, first);

          Files.createFile(hold);
          BackupRecord backup = setup.backupStub(CLUSTER).backup(new BackupRequest(CLUSTER, null, 2, "it", null, 15, 20));
          assertEquals(BackupRecord.COMPLETED, backup.status());
          String stopWal = backup.nodes().get(0).stopWal();
          assertTrue(setup.repository().exists(RepositoryLayout.walObject(CLUSTER, "n1", stopWal)), stopWal);
          String archiverAt = RestoreEndToEndIT.query(c, "SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver");
          assertTrue(archiverAt.compareTo(stopWal) < 0, "the archiver, held up, is still at " + archiverAt);

          Files.delete(hold);
          BackupEndToEndIT.awaitArchiverPast(pg, stopWal);
          List<String> lines = log(spool(pg.dataDirectory(), "push"));
          assertTrue(lines.stream().anyMatch(l -> l.contains(stopWal + " was archived ahead: success at once (launcher)")),
              "the archiver's turn for the agent's stop segment was answered from its mark:\n" + String.join("\n", lines));
        } finally {
          Files.deleteIfExists(hold); // before the server stops: a held archiver would hold up its shutdown
        }
      }
    }
  }

  @Test
  void workAheadOnBothSidesWithARealServerAndRepository() throws Exception {
    try (TestSetup setup = new TestSetup("walspool");
        LocalPostgres pg = LocalPostgres.start(17,
            LocalPostgres.Options.defaults().withArchiveCommand(setup.archiveCommand(CLUSTER, "n1")))) {
      setup.node(CLUSTER, TestSetup.Node.of("n1", pg)).startWorker();
      try (Connection c = pg.connect(); Statement st = c.createStatement()) {
        st.execute("CREATE TABLE t (id int, pad text)");
        st.execute("INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 1000) g");
      }
      BackupRecord backup = setup.backupStub(CLUSTER).backup(TestSetup.request(CLUSTER));

      // A backlog: archiving paused (an empty archive_command keeps WAL waiting) while 12 segments fill.
      try (Connection c = pg.connect(); Statement st = c.createStatement()) {
        st.execute("ALTER SYSTEM SET archive_command = ''");
        st.execute("SELECT pg_reload_conf()");
        for (int i = 0; i < 12; i++) {
          st.execute("INSERT INTO t SELECT g, md5(g::text) FROM generate_series(" + (i * 20000 + 1001) + ", "
              + (i * 20000 + 21000) + ") g");
          st.execute("SELECT pg_switch_wal()");
        }
        st.execute("ALTER SYSTEM RESET archive_command");
        st.execute("SELECT pg_reload_conf()");
      }
      awaitArchived(pg);
      String sourceRows;
      try (Connection c = pg.connect()) {
        sourceRows = RestoreEndToEndIT.query(c, "SELECT count(*) || '/' || sum(id) || '/' || sum(length(pad)) FROM t");
      }
      List<String> pushLog = log(spool(pg.dataDirectory(), "push"));
      assertTrue(pushLog.stream().anyMatch(l -> l.matches(".* [1-9]\\d* archived ahead.*")), String.join("\n", pushLog));
      assertTrue(count(pushLog, "success at once") >= 5,
          "files archived ahead were answered from their marks:\n" + String.join("\n", pushLog));
      assertTrue(count(pushLog, "(launcher)") >= 1, "by the launcher, without a JVM:\n" + String.join("\n", pushLog));

      // Recovery through wal-fetch with prefetch: the rows all there, most segments from the spool.
      Path restored = tmp.resolve("restored");
      int port = FreePorts.loopback();
      BadInputIT.Run run = BadInputIT.tidemark(setup.configFile, "restore", "--cluster", CLUSTER, "--backup", backup.id(),
          "--to", "n1:" + restored + ":" + port, "--target-latest", "--action", "promote", "--archive", "off",
          "--set", "unix_socket_directories=", "--wait", "--output", "json");
      assertEquals(0, run.status(), run.err());
      assertEquals("promoted", Json.read(run.out().getBytes(), RestoreResult.class).nodes().get(0).state());
      try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "")) {
        assertEquals(sourceRows, RestoreEndToEndIT.query(c,
            "SELECT count(*) || '/' || sum(id) || '/' || sum(length(pad)) FROM t"), "the restore holds the source's rows");
      }
      new PgCtl(pg.binDirectory(), "pg_ctl", restored).stop();
      List<String> fetchLog = log(spool(restored, "fetch"));
      long fromSpool = count(fetchLog, " from spool");
      long fromRepository = count(fetchLog, " from repository");
      assertTrue(fromSpool >= 8 && fromSpool > fromRepository,
          "prefetched segments were used: " + fromSpool + " from the spool, " + fromRepository + " from the repository\n"
              + String.join("\n", fetchLog));

      damagedSpoolFilesAreFetchedAgain(setup, pg, backup);
      aFailedPushIsNeverMarked(setup, pg);
    }
  }

  /** A spool of the source's system in a directory of its own, fed and then damaged. */
  private void damagedSpoolFilesAreFetchedAgain(TestSetup setup, LocalPostgres pg, BackupRecord backup) throws Exception {
    Path dir = tmp.resolve("fetcher");
    Files.createDirectories(dir.resolve("global"));
    Files.createDirectories(dir.resolve("pg_wal"));
    Files.copy(ControlFile.of(pg.dataDirectory()), ControlFile.of(dir));
    List<String> segments;
    try (Stream<io.tidemark.activities.repository.Listing> l = setup.repository().list(
        RepositoryLayout.walTimeline(CLUSTER, "n1", 1))) {
      segments = l.map(e -> e.name()).filter(n -> n.length() == 28).map(n -> n.substring(0, 24)).sorted().toList();
    }
    assertTrue(segments.size() >= 6, segments.toString());
    String first = segments.get(segments.size() - 6);
    String truncated = segments.get(segments.size() - 5);
    String damaged = segments.get(segments.size() - 4);
    Path destination = dir.resolve("pg_wal/RECOVERYXLOG");

    Launched r = launcher(setup, dir, "wal-fetch", "--cluster", CLUSTER, "--node", "n1", first, "pg_wal/RECOVERYXLOG");
    assertEquals(0, r.status(), r.output());
    assertArrayEquals(archived(setup, first), Files.readAllBytes(destination));
    Path spool = spool(dir, "fetch");
    Path truncatedEntry = entry(spool, truncated);
    Path damagedEntry = entry(spool, damaged);
    try (RandomAccessFile f = new RandomAccessFile(truncatedEntry.toFile(), "rw")) {
      f.setLength(f.length() - 8192);
    }
    try (RandomAccessFile f = new RandomAccessFile(damagedEntry.toFile(), "rw")) {
      byte[] noise = new byte[64];
      new Random(3).nextBytes(noise);
      f.seek(4096);
      f.write(noise);
    }
    for (String name : List.of(truncated, damaged)) {
      r = launcher(setup, dir, "wal-fetch", "--cluster", CLUSTER, "--node", "n1", name, "pg_wal/RECOVERYXLOG");
      assertEquals(0, r.status(), r.output());
      assertArrayEquals(archived(setup, name), Files.readAllBytes(destination), name + " as archived, not as spooled");
      assertEquals(1, count(log(spool), "rejected " + name), String.join("\n", log(spool)));
    }
    r = launcher(setup, dir, "wal-fetch", "--cluster", CLUSTER, "--node", "n1", "0000000100000000000000F0",
        "pg_wal/RECOVERYXLOG");
    assertEquals(1, r.status(), "a segment the archive lacks is 'not found', as before: " + r.output());
  }

  private static Path entry(Path spool, String name) throws IOException {
    try (Stream<Path> files = Files.list(spool)) {
      return files.filter(p -> p.getFileName().toString().startsWith(name + ".")).findFirst()
          .orElseThrow(() -> new AssertionError(name + " was not prefetched into " + spool));
    }
  }

  /**
   * Three files ready in a pg_wal of the source's system: pushing the first also pushes the
   * others ahead; the one whose content conflicts with the archive fails there and gets no mark,
   * and its own push fails; the other is marked and its push answered at once.
   */
  private void aFailedPushIsNeverMarked(TestSetup setup, LocalPostgres pg) throws Exception {
    Path dir = tmp.resolve("pusher");
    Path pgWal = Files.createDirectories(dir.resolve("pg_wal/archive_status"));
    Files.createDirectories(dir.resolve("global"));
    Files.copy(ControlFile.of(pg.dataDirectory()), ControlFile.of(dir));
    String asked = "0000000100000000000000E0";
    String conflicting;
    try (Stream<io.tidemark.activities.repository.Listing> l = setup.repository().list(
        RepositoryLayout.walTimeline(CLUSTER, "n1", 1))) {
      conflicting = l.map(e -> e.name()).filter(n -> n.length() == 28).findFirst().orElseThrow().substring(0, 24);
    }
    String fine = "0000000100000000000000E1";
    Random random = new Random(9);
    for (String name : List.of(asked, conflicting, fine)) {
      // a random 64 KiB block repeated: compresses like real WAL, so each push is one PUT as in production
      // (a 16 MiB random file would go multipart, where S3Mock's handling of If-None-Match was seen to differ)
      byte[] block = new byte[64 << 10];
      random.nextBytes(block);
      byte[] b = new byte[16 << 20];
      for (int off = 0; off < b.length; off += block.length) {
        System.arraycopy(block, 0, b, off, block.length);
      }
      Files.write(pgWal.getParent().resolve(name), b);
      Files.createFile(pgWal.resolve(name + ".ready"));
    }
    Launched r = launcher(setup, dir, "wal-push", "--cluster", CLUSTER, "--node", "n1", "pg_wal/" + asked);
    assertEquals(0, r.status(), r.output());
    assertTrue(r.output().contains("warning") && r.output().contains(conflicting), r.output());
    Path marks = spool(dir, "push");
    assertFalse(Files.exists(entryOrNull(marks, conflicting)), "no mark for a push the repository did not confirm");
    assertTrue(Files.exists(entryOrNull(marks, fine)));
    assertArrayEquals(Files.readAllBytes(pgWal.getParent().resolve(fine)), archived(setup, fine));

    Files.move(pgWal.resolve(asked + ".ready"), pgWal.resolve(asked + ".done"));
    r = launcher(setup, dir, "wal-push", "--cluster", CLUSTER, "--node", "n1", "pg_wal/" + conflicting);
    assertEquals(1, r.status(), "the conflicting file " + conflicting + " still fails: " + r.output() + "\n"
        + String.join("\n", log(marks)));
    r = launcher(setup, dir, "wal-push", "--cluster", CLUSTER, "--node", "n1", "pg_wal/" + fine);
    assertEquals(0, r.status(), r.output());
    assertEquals(1, count(log(marks), fine + " was archived ahead: success at once"), String.join("\n", log(marks)));
    assertFalse(Files.exists(entryOrNull(marks, fine)), "the mark is used once");
  }

  private static Path entryOrNull(Path spool, String name) throws IOException {
    try (Stream<Path> files = Files.list(spool)) {
      return files.filter(p -> p.getFileName().toString().startsWith(name + ".")).findFirst()
          .orElse(spool.resolve("absent-" + name));
    }
  }
}
