package io.tidemark.workers.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The read ceiling: how fast plain sequential reads get through the data directory's files with a
 * given number of streams (two: one per core), from a cold cache, doing nothing with the bytes.
 * Files are cut into 64 MiB ranges handed out in order, so one large file (a 1 GB relation
 * segment) keeps both streams busy: this is the machine's ceiling, not any tool's way of
 * splitting the work.
 */
final class ReadCeiling {

  private static final int BUFFER = 1 << 20;
  private static final long RANGE = 64L << 20;

  private record Range(Path file, long offset, long length) {}

  private ReadCeiling() {}

  /** @return seconds taken to read every file once */
  static double read(Path dataDirectory, int streams) throws Exception {
    ConcurrentLinkedQueue<Range> queue = new ConcurrentLinkedQueue<>();
    for (Path file : Dirs.dataFiles(dataDirectory)) {
      long size = file.toFile().length();
      for (long at = 0; at < size; at += RANGE) {
        queue.add(new Range(file, at, Math.min(RANGE, size - at)));
      }
    }
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

  private static long drain(ConcurrentLinkedQueue<Range> queue) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);
    long total = 0;
    for (Range r = queue.poll(); r != null; r = queue.poll()) {
      try (FileChannel ch = FileChannel.open(r.file(), StandardOpenOption.READ)) {
        long done = 0;
        while (done < r.length()) {
          buffer.clear().limit((int) Math.min(BUFFER, r.length() - done));
          int n = ch.read(buffer, r.offset() + done);
          if (n < 0) {
            break;
          }
          done += n;
        }
        total += done;
      } catch (java.nio.file.NoSuchFileException gone) {
        // a temporary file of the server's: not data
      }
    }
    return total;
  }
}
