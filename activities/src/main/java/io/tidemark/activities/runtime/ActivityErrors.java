package io.tidemark.activities.runtime;

import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.tidemark.activities.config.ConfigException;
import io.tidemark.workflows.Failures;
import java.util.concurrent.Callable;

/**
 * The one place where activity code meets Temporal's error model: configuration mistakes fail for
 * good, failures already classified pass through, anything else is retried by the activity's
 * policy.
 */
public final class ActivityErrors {

  private ActivityErrors() {}

  public static <T> T run(Callable<T> body) {
    try {
      return body.call();
    } catch (ConfigException e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), Failures.CONFIGURATION);
    } catch (TemporalFailure | io.temporal.client.ActivityCompletionException e) {
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Activity.wrap(e);
    } catch (Exception e) {
      throw Activity.wrap(e);
    }
  }

  public static void runVoid(VoidBody body) {
    run(() -> {
      body.run();
      return null;
    });
  }

  @FunctionalInterface
  public interface VoidBody {
    void run() throws Exception;
  }
}
