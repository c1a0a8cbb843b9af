package io.tidemark.workflows;

import io.temporal.workflow.Promise;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Runs activities for batches {@code from} to {@code to - 1}, at most {@code width} at a time, in
 * workflow code. Results are handed over as they come; the first failure is thrown (the caller's
 * cancellation scope stops the rest).
 */
public final class BatchWindow {

  private BatchWindow() {}

  public static <R> void run(int from, int to, int width, IntFunction<Promise<R>> start, Consumer<R> done) {
    List<Promise<R>> running = new ArrayList<>();
    int next = from;
    while (next < to || !running.isEmpty()) {
      while (running.size() < width && next < to) {
        running.add(start.apply(next++));
      }
      Promise.anyOf(running).get();
      for (Iterator<Promise<R>> it = running.iterator(); it.hasNext(); ) {
        Promise<R> p = it.next();
        if (p.isCompleted()) {
          done.accept(p.get());
          it.remove();
        }
      }
    }
  }
}
