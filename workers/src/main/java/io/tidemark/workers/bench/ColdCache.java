package io.tidemark.workers.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Makes the next run start cold: every server checkpointed (no dirty buffers left to write during
 * the run), everything synced, the page cache dropped, then a pause for the machine to settle.
 * Dropping caches needs root and a writable /proc/sys; where it is refused, runs are warm and the
 * report says so.
 */
final class ColdCache {

  private static final Path DROP = Path.of("/proc/sys/vm/drop_caches");

  private final List<DataSet> sets;
  private final int settleSeconds;
  private boolean refused;

  ColdCache(List<DataSet> sets, int settleSeconds) {
    this.sets = sets;
    this.settleSeconds = settleSeconds;
  }

  void prepare() throws Exception {
    for (DataSet s : sets) {
      DataSet.execute(s.pg(), "CHECKPOINT");
    }
    new ProcessBuilder("sync").inheritIO().start().waitFor();
    try {
      Files.writeString(DROP, "3\n");
    } catch (IOException e) {
      refused = true;
    }
    Thread.sleep(settleSeconds * 1000L);
  }

  /** True when every drop so far worked. */
  boolean cold() {
    return !refused;
  }
}
