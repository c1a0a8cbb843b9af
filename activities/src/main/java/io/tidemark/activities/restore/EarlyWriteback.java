package io.tidemark.activities.restore;

import io.tidemark.activities.runtime.DaemonThreads;
import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Starts the disk writing a large file while it is still being decoded. The kernel keeps written
 * pages dirty until memory runs short, so a 1 GiB file would otherwise reach the disk only in its
 * final fsync, with the fetching thread waiting. Every {@link #STEP} bytes written, a background
 * thread forces what is there so far (one force at a time); the final fsync, which is what makes
 * the file durable, then has little left to do.
 */
final class EarlyWriteback implements AutoCloseable {

  static final long STEP = 32L << 20;

  private final ExecutorService thread = Executors.newSingleThreadExecutor(DaemonThreads.named("tidemark-writeback"));
  private Future<?> running;

  /**
   * The file from its start, forcing in the background every {@link #STEP} bytes; a file written
   * with O_DIRECT (on the disk as it is written), plainly.
   */
  WritableByteChannel watch(TargetFile file) {
    if (file.isDirect()) {
      return file.from(0);
    }
    long[] sinceLast = {0}; // one writer per file: the fetching thread
    return file.from(0, n -> {
      sinceLast[0] += n;
      if (sinceLast[0] >= STEP) {
        sinceLast[0] = 0;
        nudge(file);
      }
    });
  }

  /** Starts writing what is there of the file, unless a force is running already or it is direct. */
  synchronized void nudge(TargetFile file) {
    if (file.isDirect() || running != null && !running.isDone()) {
      return;
    }
    running = thread.submit(() -> {
      try {
        file.force(false);
      } catch (IOException ignored) {
        // only a head start: the group's own fsync reports any error
      }
    });
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
