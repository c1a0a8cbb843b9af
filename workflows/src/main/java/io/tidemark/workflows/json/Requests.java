package io.tidemark.workflows.json;

import io.temporal.failure.ApplicationFailure;
import io.tidemark.workflows.Failures;
import java.util.function.UnaryOperator;

/** The first lines of every workflow that takes a request: a missing or invalid one fails at once, saying why. */
public final class Requests {

  private Requests() {}

  /**
   * @param example a request of the kind expected, as JSON, for the message about an empty input
   * @param check the request's own validation, which names the field at fault
   * @return the request with its defaults filled in
   */
  public static <T> T validated(T request, String example, UnaryOperator<T> check) {
    if (request == null) {
      throw ApplicationFailure.newNonRetryableFailure("the input is empty; send one JSON object such as " + example,
          Failures.INVALID_REQUEST);
    }
    try {
      return check.apply(request);
    } catch (IllegalArgumentException e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), Failures.INVALID_REQUEST);
    }
  }
}
