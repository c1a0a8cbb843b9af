package io.tidemark.activities.wal.spool;

import java.nio.file.Path;
import java.util.List;

/** A process of its own that adds transfers to a stats file, one call at a time, as wal-push does. */
public final class PushStatsWriter {

  /** Arguments: the spool directory, how many calls, transfers per call, and the push kind. */
  public static void main(String[] args) throws Exception {
    PushStatsFile file = new PushStatsFile(Path.of(args[0]));
    int calls = Integer.parseInt(args[1]);
    int perCall = Integer.parseInt(args[2]);
    List<PushTiming> timings = java.util.Collections.nCopies(perCall,
        new PushTiming(args[3], PushTiming.STORED, 1_000_000, 1000));
    for (int i = 0; i < calls; i++) {
      if (!file.add(timings, System.currentTimeMillis())) {
        System.exit(3);
      }
    }
  }
}
