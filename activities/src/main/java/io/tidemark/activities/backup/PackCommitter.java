package io.tidemark.activities.backup;

import io.tidemark.activities.runtime.DaemonThreads;
import io.tidemark.activities.transfer.Packs;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Commits a batch's packs on a thread of its own, one at a time: the sending thread fills the next
 * pack while the last one is uploaded (or synced). Closing waits for a commit still running, so
 * nothing is written after the activity returns or fails.
 */
final class PackCommitter implements AutoCloseable {

  private final ExecutorService thread = Executors.newSingleThreadExecutor(DaemonThreads.named("tidemark-pack-commit"));
  private BatchSender.OpenPack pending;
  private Future<?> committing;

  /** Starts committing the pack: its index, then the object. Call {@link #awaitPrevious()} first. */
  void commit(BatchSender.OpenPack pack) {
    if (committing != null) {
      throw new IllegalStateException("one pack commits at a time");
    }
    pending = pack;
    committing = thread.submit(() -> {
      try {
        Packs.finish(pack.out, pack.entries);
        pack.out.commit();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** Waits for the pack being committed, if any, and returns it once committed (null if none). */
  BatchSender.OpenPack awaitPrevious() throws IOException {
    if (committing == null) {
      return null;
    }
    Future<?> f = committing;
    BatchSender.OpenPack pack = pending;
    committing = null;
    pending = null;
    try {
      f.get();
      return pack;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while pack " + pack.name + " was committed");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof UncheckedIOException io) {
        throw io.getCause();
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new IOException("committing pack " + pack.name + " failed", cause);
    }
  }

  @Override
  public void close() {
    if (committing != null) {
      try {
        committing.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException ignored) {
        // the activity is failing already; a pack that did commit is found by the retry's listing
      }
    }
    thread.shutdownNow();
  }
}
