package io.tidemark.workflows;

import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Runs activities for batches {@code from} to {@code to - 1}, at most {@code width} at a time, in
 * workflow code. Results are handed over as they come. On the first failure the batches still
 * running are cancelled, and waited for, before the failure is thrown: nothing goes on writing
 * after a failure has been reported.
 */
public final class BatchWindow {

  private BatchWindow() {}

  public static <R> void run(int from, int to, int width, IntFunction<Promise<R>> start, Consumer<R> done) {
    List<Promise<R>> running = new ArrayList<>();
    CancellationScope scope = Workflow.newCancellationScope(() -> {
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
    });
    try {
      scope.run();
    } catch (RuntimeException failure) {
      scope.cancel();
      Workflow.newDetachedCancellationScope(() -> Workflow.await(() -> running.stream().allMatch(Promise::isCompleted)))
          .run();
      throw failure;
    }
  }
}
