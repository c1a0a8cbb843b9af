package io.tidemark.activities.wal.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadyQueueTest {

  @TempDir
  Path pgWal;

  @Test
  void listsReadyFilesAsTheArchiverTakesThemHistoryFirst() throws Exception {
    Path status = Files.createDirectories(pgWal.resolve("archive_status"));
    for (String f : List.of("000000010000000000000005.ready", "000000010000000000000003.ready",
        "000000010000000000000002.done", "00000002.history.ready", "000000010000000000000004.00000028.backup.ready",
        "xlogtemp.123.ready")) {
      Files.createFile(status.resolve(f));
    }
    List<String> ready = new ReadyQueue(pgWal).ready();
    assertEquals(List.of("00000002.history", "000000010000000000000003", "000000010000000000000004.00000028.backup",
        "000000010000000000000005"), ready);
    assertEquals(List.of("000000010000000000000004.00000028.backup", "000000010000000000000005"),
        ReadyQueue.next(ready, List.of("00000002.history", "000000010000000000000003"), 5));
    assertEquals(List.of("00000002.history"), ReadyQueue.next(ready, List.of(), 1));
  }

  @Test
  void noArchiveStatusMeansNothingReady() throws Exception {
    assertEquals(List.of(), new ReadyQueue(pgWal.resolve("nowhere")).ready());
  }
}
