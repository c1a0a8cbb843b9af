package io.tidemark.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The command line's own behaviour, before any service is involved. */
class MainTest {

  record Run(int status, String out, String err) {}

  static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void helpListsEveryCommand() {
    Run r = run("--help");
    assertEquals(0, r.status());
    for (String c : new String[] {"quickstart", "dev-server", "worker", "backup", "restore", "show", "wal-push", "wal-fetch"}) {
      assertTrue(r.out().contains("  " + c + " "), c + " in\n" + r.out());
    }
  }

  @Test
  void everyCommandHasHelp() {
    for (String c : new String[] {"quickstart", "dev-server", "worker", "backup", "restore", "show", "wal-push", "wal-fetch"}) {
      Run r = run(c, "--help");
      assertEquals(0, r.status());
      assertTrue(r.out().startsWith("usage: tidemark " + c), r.out());
    }
    assertTrue(run("backup", "--help").out().contains("ClusterBackup with id tidemark-backup-CLUSTER"));
  }

  @Test
  void mistakesAreNamedWithTheFix() {
    Run unknown = run("bakup");
    assertEquals(2, unknown.status());
    assertTrue(unknown.err().contains("unknown command 'bakup'"));

    Run option = run("backup", "--clutser", "main");
    assertEquals(2, option.status());
    assertTrue(option.err().contains("unknown option --clutser; valid options:") && option.err().contains("--cluster"),
        option.err());

    assertTrue(run("backup").err().contains("option --cluster is required"));
    Run parallelism = run("backup", "--cluster", "main", "--parallelism", "0");
    assertTrue(parallelism.err().contains("option 'parallelism' is 0; valid values: 1 to 64"), parallelism.err());
    assertTrue(run("backup", "--cluster", "main", "--parallelism", "many").err().contains("takes a whole number"));
    Run checksum = run("backup", "--cluster", "main", "--manifest-checksum", "MD5");
    assertTrue(checksum.err().contains("option '--manifest-checksum' is 'MD5'; valid values: [CRC32C, SHA256]"),
        checksum.err());
    assertTrue(run("show", "--cluster", "main", "--output", "xml").err().contains("valid: text, json"));
    assertTrue(run("wal-push", "--cluster", "c", "--node", "n").err().contains("exactly one WAL file path"));

    assertTrue(run("restore", "--cluster", "main").err().contains("option 'nodes' is required"));
    assertTrue(run("restore", "--cluster", "main", "--to", "pg1:/r:5433", "--target-lsn", "0/1", "--target-immediate")
        .err().contains("exactly one of immediate, latest, time, xid, lsn, name"));
    assertTrue(run("restore", "--cluster", "main", "--to", "pg1:/r").err().contains("NODE:DIRECTORY:PORT"));
  }

  @Test
  void walFetchMistakesStopRecoveryRatherThanEndIt() {
    // PostgreSQL takes status 1 for "no such file" and ends recovery; above 125 it stops instead.
    Run wrong = run("wal-fetch", "--cluster", "c", "--node", "n", "000000010000000000000001");
    assertEquals(255, wrong.status());
    assertEquals(255, run("wal-fetch", "--clutser", "c").status());
    assertEquals(255, run("--config", "/nonexistent.yaml", "wal-fetch", "--cluster", "c", "--node", "n",
        "000000010000000000000001", "/tmp/x").status());
  }
}
