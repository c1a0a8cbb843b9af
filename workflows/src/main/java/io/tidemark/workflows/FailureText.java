package io.tidemark.workflows;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.failure.TemporalFailure;

/** The sentence inside a chain of activity and child-workflow failures. */
public final class FailureText {

  private FailureText() {}

  public static String of(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof ActivityFailure || t instanceof ChildWorkflowFailure) && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof TemporalFailure) {
      return ((TemporalFailure) t).getOriginalMessage();
    }
    return t.getMessage();
  }
}
