package io.tidemark.workers.bench;

import io.tidemark.activities.transfer.FrameCompressor;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The backup's CPU ceiling: the engine's per-file step (read, page checksums, CRC-32C, zstd -1,
 * as SendFiles runs it) on every data file of a data set, largest first, on as many threads as
 * the backup's parallelism, with every file in the page cache and nothing stored. No disk, no
 * repository, no Temporal: what this machine's cores can do at best. Where it is below the read
 * ceiling, a backup cannot reach the read ceiling, however its I/O is arranged.
 */
final class CpuCeiling {

  private CpuCeiling() {}

  /** The better of two passes (the first also fills the page cache and warms the JIT). */
  static Measurement measure(DataSet set, int threads) throws Exception {
    List<Path> files = new ArrayList<>(Dirs.dataFiles(set.dataDirectory()));
    files.sort(Comparator.comparingLong((Path p) -> p.toFile().length()).reversed());
    double bestSeconds = Double.MAX_VALUE;
    double cpuOfBest = 0;
    for (int pass = 0; pass < 2; pass++) {
      long cpu = cpuNanos();
      long start = System.nanoTime();
      run(set.dataDirectory(), files, threads);
      double seconds = (System.nanoTime() - start) / 1e9;
      if (seconds < bestSeconds) {
        bestSeconds = seconds;
        cpuOfBest = (cpuNanos() - cpu) / 1e9;
      }
    }
    return new Measurement("cpu", "CPU ceiling: engine, page cache, p=" + threads, "backup", set.name(), set.bytes(),
        bestSeconds, 0, cpuOfBest);
  }

  private static void run(Path dataDirectory, List<Path> files, int threads) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<FrameCompressor> compressors = new CopyOnWriteArrayList<>();
    ThreadLocal<FrameCompressor> compressor = ThreadLocal.withInitial(() -> {
      FrameCompressor c = new FrameCompressor(1);
      compressors.add(c);
      return c;
    });
    try {
      List<Future<?>> done = new ArrayList<>();
      for (Path file : files) {
        done.add(pool.submit(() -> {
          if (Files.size(file) > 0) {
            StageRates.engine(compressor.get(), file, dataDirectory.relativize(file).toString());
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
      pool.awaitTermination(1, TimeUnit.MINUTES);
      compressors.forEach(FrameCompressor::close);
    }
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }
}
