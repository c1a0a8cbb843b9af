package io.tidemark.activities.backup;

import io.tidemark.activities.runtime.DaemonThreads;
import io.tidemark.activities.runtime.Heartbeat;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a call that may block for long (a checkpoint, say) on its own thread while the activity
 * thread keeps heartbeating. If the activity is cancelled the heartbeat throws, {@code onCancel}
 * interrupts the call (cancels the statement, closes the connection) and the exception goes on.
 */
final class Blocking {

  private static final ExecutorService THREADS =
      Executors.newCachedThreadPool(DaemonThreads.named("tidemark-blocking-call"));

  private Blocking() {}

  static <T> T call(Callable<T> call, Heartbeat heartbeat, Object details, Runnable onCancel) throws Exception {
    Future<T> future = THREADS.submit(call);
    try {
      while (true) {
        try {
          return future.get(5, TimeUnit.SECONDS);
        } catch (TimeoutException stillRunning) {
          heartbeat.beat(details);
        }
      }
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
    } catch (RuntimeException | InterruptedException cancelled) {
      onCancel.run();
      future.cancel(true);
      throw cancelled;
    }
  }
}
