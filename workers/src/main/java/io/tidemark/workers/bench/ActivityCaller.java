package io.tidemark.workers.bench;

import io.temporal.activity.ActivityOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Calls an activity implementation in this process, with no Temporal server, workflow or task
 * queue: the SDK's TestActivityEnvironment gives each call the activity context the code expects
 * (heartbeats included) and nothing more. Going through the activity interface rather than the
 * engine's package-private classes keeps the benchmark working while the engine is rewritten.
 * One environment per thread, so parallel calls do not share one.
 */
final class ActivityCaller<T> implements AutoCloseable {

  /** The workflows' own settings for the transfer activities. */
  private static final ActivityOptions OPTIONS = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofHours(12))
      .setHeartbeatTimeout(Duration.ofSeconds(30))
      .build();

  private final Class<T> type;
  private final Object implementation;
  private final List<TestActivityEnvironment> environments = new CopyOnWriteArrayList<>();
  private final ThreadLocal<T> stubs;

  ActivityCaller(Class<T> type, Object implementation) {
    this.type = type;
    this.implementation = implementation;
    this.stubs = ThreadLocal.withInitial(this::newStub);
  }

  T stub() {
    return stubs.get();
  }

  private T newStub() {
    TestActivityEnvironment env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(implementation);
    environments.add(env);
    return env.newActivityStub(type, OPTIONS);
  }

  @Override
  public void close() {
    environments.forEach(TestActivityEnvironment::close);
  }
}
