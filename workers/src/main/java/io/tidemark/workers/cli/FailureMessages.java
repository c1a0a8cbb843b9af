package io.tidemark.workers.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.failure.TimeoutFailure;

/** The sentence a person needs from a chain of workflow, activity and transport failures. */
public final class FailureMessages {

  private FailureMessages() {}

  public static String of(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ApplicationFailure) {
        return ((ApplicationFailure) t).getOriginalMessage();
      }
      if (t instanceof TimeoutFailure) {
        return "timed out (" + ((TimeoutFailure) t).getTimeoutType() + ")";
      }
      if (t instanceof StatusRuntimeException && ((StatusRuntimeException) t).getStatus().getCode() == Status.Code.UNAVAILABLE) {
        return "cannot reach the Temporal server: " + t.getMessage()
            + ". Start one (tidemark dev-server) or fix temporal.address in the configuration";
      }
    }
    Throwable root = failure;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root instanceof TemporalFailure ? ((TemporalFailure) root).getOriginalMessage() : String.valueOf(root.getMessage());
  }
}
