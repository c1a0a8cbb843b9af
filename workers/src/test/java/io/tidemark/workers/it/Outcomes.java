package io.tidemark.workers.it;

import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import java.util.concurrent.TimeUnit;

/** Waits for a workflow's result; a failure becomes an assertion error naming every cause, so CI logs say why. */
final class Outcomes {

  private Outcomes() {}

  static <R> R await(WorkflowStub stub, long minutes, Class<R> type) throws Exception {
    try {
      return stub.getResult(minutes, TimeUnit.MINUTES, type);
    } catch (WorkflowFailedException e) {
      throw new AssertionError(stub.getExecution().getWorkflowId() + " failed: " + causes(e), e);
    }
  }

  static String causes(Throwable e) {
    StringBuilder s = new StringBuilder();
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      s.append(s.length() == 0 ? "" : " <- ").append(t.getMessage());
    }
    return s.toString();
  }
}
