package io.tidemark.workers.metrics;

import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.common.reporter.MicrometerClientStatsReporter;

/**
 * The Temporal SDK reports through a tally scope; this one reports into the worker's Micrometer
 * registry, so the SDK's poll, task latency and activity metrics share Tidemark's endpoint.
 */
final class TemporalSdkMetrics {

  /** How often the SDK's scope flushes into the registry: a scrape sees values at most this old. */
  static final com.uber.m3.util.Duration REPORT_EVERY = com.uber.m3.util.Duration.ofSeconds(5);

  private TemporalSdkMetrics() {}

  static Scope scope(MeterRegistry registry) {
    return new RootScopeBuilder().reporter(new MicrometerClientStatsReporter(registry)).reportEvery(REPORT_EVERY);
  }
}
