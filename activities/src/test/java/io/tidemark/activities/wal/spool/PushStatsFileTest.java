package io.tidemark.activities.wal.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.activities.wal.spool.PushStats.Series;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PushStatsFileTest {

  @TempDir
  Path dir;

  private static long count(PushStats s, String push) {
    return s.series().stream().filter(x -> x.push().equals(push)).mapToLong(Series::count).sum();
  }

  @Test
  void addsAcrossCallsAndReadsBack() throws Exception {
    PushStatsFile file = new PushStatsFile(dir);
    assertEquals(Optional.empty(), file.read(), "nothing pushed yet");
    assertTrue(file.add(List.of(new PushTiming(PushTiming.ASKED, PushTiming.STORED, 7_000_000, 16 << 20)), 0));
    assertTrue(file.add(List.of(new PushTiming(PushTiming.ASKED, PushTiming.STORED, 9_000_000, 16 << 20),
        new PushTiming(PushTiming.AHEAD, PushTiming.STORED, 9_000_000, 16 << 20)), 0));
    PushStats s = file.read().orElseThrow();
    assertEquals(2, count(s, PushTiming.ASKED));
    assertEquals(1, count(s, PushTiming.AHEAD));
    try (Stream<Path> left = Files.list(dir)) {
      assertEquals(List.of("push-stats", "push-stats.lock"),
          left.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary file left");
    }
  }

  @Test
  void aDamagedFileCountsAsNoneAndCountingStartsAgain() throws Exception {
    PushStatsFile file = new PushStatsFile(dir);
    assertTrue(file.add(List.of(new PushTiming(PushTiming.ASKED, PushTiming.STORED, 1, 1),
        new PushTiming(PushTiming.AHEAD, PushTiming.STORED, 1, 1)), 0));
    String whole = Files.readString(file.path());
    assertTrue(whole.endsWith("end\n"), whole);
    Files.writeString(file.path(), whole.substring(0, whole.indexOf("series ahead")));
    assertEquals(Optional.empty(), file.read(), "cut short at a line's end: no 'end'");
    Files.writeString(file.path(), whole.substring(0, whole.length() - 12));
    assertEquals(Optional.empty(), file.read(), "cut short within a line");
    Files.writeString(file.path(), whole.replace(" 1 1 ", " 1 x "));
    assertEquals(Optional.empty(), file.read(), "not a number");
    Files.writeString(file.path(), "");
    assertEquals(Optional.empty(), file.read(), "empty, as a crash after the rename may leave it");
    assertTrue(file.add(List.of(new PushTiming(PushTiming.ASKED, PushTiming.STORED, 1, 1)), 0));
    assertEquals(1, count(file.read().orElseThrow(), PushTiming.ASKED));
  }

  @Test
  void aCallGivesUpRatherThanWaitLongForTheLock() throws Exception {
    PushStatsFile file = new PushStatsFile(dir);
    Process holder = java("hold", dir.resolve("push-stats.lock").toString());
    try {
      // the holder prints once it has the lock
      assertEquals("locked", new String(holder.getInputStream().readNBytes(6)));
      long started = System.nanoTime();
      assertFalse(file.add(List.of(new PushTiming(PushTiming.ASKED, PushTiming.STORED, 1, 1)), 0));
      long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      assertTrue(waited >= PushStatsFile.LOCK_WAIT.toMillis() && waited < PushStatsFile.LOCK_WAIT.toMillis() + 2000,
          "waited " + waited + " ms");
    } finally {
      holder.destroyForcibly().waitFor();
    }
    assertTrue(file.add(List.of(new PushTiming(PushTiming.ASKED, PushTiming.STORED, 1, 1)), 0),
        "the lock went with the killed process");
  }

  /**
   * Two processes add at once, many times, while this one reads: no update may be lost, and a
   * reader must never see a partial or inconsistent file, nor counts going back.
   */
  @Test
  void twoProcessesAddingAtOnceLoseNothingAndReadersSeeWholeFiles() throws Exception {
    int calls = 150;
    Process a = java("write", dir.toString(), String.valueOf(calls), "2", PushTiming.ASKED);
    Process b = java("write", dir.toString(), String.valueOf(calls), "3", PushTiming.AHEAD);
    PushStatsFile file = new PushStatsFile(dir);
    long last = 0;
    int reads = 0;
    while (a.isAlive() || b.isAlive()) {
      if (Files.exists(file.path())) {
        // read() hides damage; a whole file parses and adds up
        PushStats s = file.read().orElseThrow(() -> new AssertionError("a partial or inconsistent file was seen"));
        long total = count(s, PushTiming.ASKED) + count(s, PushTiming.AHEAD);
        assertTrue(total >= last, "counts went back from " + last + " to " + total);
        last = total;
        reads++;
      }
    }
    assertEquals(0, a.waitFor(), new String(a.getInputStream().readAllBytes()));
    assertEquals(0, b.waitFor(), new String(b.getInputStream().readAllBytes()));
    PushStats s = file.read().orElseThrow();
    assertEquals(2L * calls, count(s, PushTiming.ASKED));
    assertEquals(3L * calls, count(s, PushTiming.AHEAD));
    assertEquals(5L * calls * 1000, s.series().stream().mapToLong(Series::bytes).sum());
    System.out.println("push stats: " + reads + " reads while two processes made " + 2 * calls + " updates");
  }

  private static Process java(String what, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path")));
    command.add(what.equals("hold") ? LockHolder.class.getName() : PushStatsWriter.class.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  /** Holds the lock file's lock until killed. */
  public static final class LockHolder {
    public static void main(String[] args) throws Exception {
      try (var ch = java.nio.channels.FileChannel.open(Path.of(args[0]), java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.WRITE); var lock = ch.lock()) {
        System.out.print("locked");
        System.out.flush();
        Thread.sleep(60_000);
      }
    }
  }
}
