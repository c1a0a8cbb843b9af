package io.tidemark.workers.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.workflows.backup.BackupProgress;
import io.tidemark.workflows.backup.NodeBackupProgress;
import io.tidemark.workflows.model.Reuse;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressLineTest {

  static final long GIB = 1L << 30;

  private static BackupProgress backup(long doneA, long doneB) {
    return new BackupProgress("main", "20261121-200000F", "backing up", 0, List.of(
        new BackupProgress.Node(new NodeBackupProgress("coord", "sending", 1, 1000, 2 * GIB, 40, 10, 400, doneA, 1,
            new Reuse(0, 0, 0)), 200L << 20, 8),
        new BackupProgress.Node(new NodeBackupProgress("seg1", "sending", 2, 3000, 2 * GIB, 40, 30, 2000, doneB, 1,
            new Reuse(0, 0, 0)), 100L << 20, 12)));
  }

  @Test
  void aClusterBackupIsOneBarOverAllItsNodes() {
    String line = ProgressLine.render(ProgressSnapshots.of(backup(GIB / 2, GIB)));
    assertEquals("backing up  [########................]  37%  1.5 GiB of 4.0 GiB  2400/4000 files  300.0 MiB/s"
        + "  ETA 12.0s  (coord sending, seg1 sending)", line);
  }

  @Test
  void onATerminalTheLineRedrawsInPlaceAndEndsWithANewline() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ProgressLine line = new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
    line.show(ProgressSnapshots.of(backup(GIB / 2, GIB)));
    line.show(ProgressSnapshots.of(backup(2 * GIB, 2 * GIB)));
    line.end();
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(2, out.chars().filter(c -> c == '\r').count(), out);
    assertTrue(out.endsWith("\n") && out.indexOf('\n') == out.length() - 1, "one line, redrawn: " + out);
    assertTrue(out.contains("[########################] 100%"), out);
  }

  @Test
  void inALogALineIsPrintedOnlyWhenThePhaseChangesOrAnotherTenthIsDone() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ProgressLine line = new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
    for (long mib = 0; mib <= 4096; mib += 64) {
      long done = mib << 20;
      line.show(ProgressSnapshots.of(backup(Math.min(done, 2 * GIB), Math.max(0, done - 2 * GIB))));
    }
    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals(11, lines.size(), "0 %, 10 %, ... 100 %: " + lines);
    assertTrue(lines.get(10).contains("100%"));
  }
}
