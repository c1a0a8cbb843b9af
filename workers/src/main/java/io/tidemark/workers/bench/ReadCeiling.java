package io.tidemark.workers.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The read ceiling: how fast plain sequential reads get through the data directory's files with a
 * given number of streams (two: one per core), from a cold cache, doing nothing with the bytes.
 * No backup tool can read faster than this on the same machine in the same minute.
 */
final class ReadCeiling {

  private static final int BUFFER = 1 << 20;

  private ReadCeiling() {}

  /** @return seconds taken to read every file once */
  static double read(Path dataDirectory, int streams) throws Exception {
    List<Path> files = new ArrayList<>(Dirs.dataFiles(dataDirectory));
    // Largest first, so the streams finish together.
    files.sort(Comparator.comparingLong((Path p) -> p.toFile().length()).reversed());
    ConcurrentLinkedQueue<Path> queue = new ConcurrentLinkedQueue<>(files);
    ExecutorService pool = Executors.newFixedThreadPool(streams);
    try {
      long start = System.nanoTime();
      List<Future<Long>> readers = new ArrayList<>();
      for (int i = 0; i < streams; i++) {
        readers.add(pool.submit(() -> drain(queue)));
      }
      for (Future<Long> f : readers) {
        f.get();
      }
      return (System.nanoTime() - start) / 1e9;
    } finally {
      pool.shutdownNow();
    }
  }

  private static long drain(ConcurrentLinkedQueue<Path> queue) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);
    long total = 0;
    for (Path p = queue.poll(); p != null; p = queue.poll()) {
      try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
        for (int n = ch.read(buffer.clear()); n >= 0; n = ch.read(buffer.clear())) {
          total += n;
        }
      } catch (java.nio.file.NoSuchFileException gone) {
        // a temporary file of the server's: not data
      }
    }
    return total;
  }
}
