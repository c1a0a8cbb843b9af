package io.tidemark.workers.metrics;

import com.uber.m3.tally.Scope;
import com.uber.m3.tally.ScopeCloseException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tidemark.activities.config.ListenAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One worker's metrics: a Prometheus registry, the Temporal SDK's scope reporting into it, and the
 * HTTP endpoint that serves it.
 */
public final class WorkerMetrics implements AutoCloseable {

  /** Prometheus text format. */
  public static final String METRICS_PATH = "/metrics";
  /** 200 while the process answers: liveness. */
  public static final String HEALTH_PATH = "/healthz";
  /** 200 once the worker polls its task queues, 503 before: readiness. */
  public static final String READY_PATH = "/readyz";

  private final PrometheusMeterRegistry registry;
  private final Scope sdkScope;
  private final AtomicBoolean ready = new AtomicBoolean();
  private final MetricsEndpoint endpoint;

  private WorkerMetrics(ListenAddress listen) throws IOException {
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Histogram buckets for the SDK's latencies, so dashboards can show quantiles across workers.
    registry.config().meterFilter(new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        return id.getType() == Meter.Type.TIMER && id.getName().startsWith("temporal")
            ? DistributionStatisticConfig.builder().percentilesHistogram(true).build().merge(config)
            : config;
      }
    });
    this.sdkScope = TemporalSdkMetrics.scope(registry);
    this.endpoint = new MetricsEndpoint(listen, registry, ready::get);
  }

  /** Starts serving at once: /healthz answers while the worker connects, /readyz once it polls. */
  public static WorkerMetrics serve(ListenAddress listen) throws IOException {
    return new WorkerMetrics(listen);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The registry the endpoint serves, for collectors of counts made elsewhere ({@link WalPushTimes}). */
  public PrometheusRegistry prometheusRegistry() {
    return registry.getPrometheusRegistry();
  }

  /** For WorkflowServiceStubsOptions: the SDK's client and worker metrics. */
  public Scope temporalScope() {
    return sdkScope;
  }

  public InetSocketAddress address() {
    return endpoint.address();
  }

  public void markReady() {
    ready.set(true);
  }

  @Override
  public void close() {
    endpoint.close();
    try {
      sdkScope.close();
    } catch (ScopeCloseException e) {
      // the process is ending; nothing is lost that a scrape could still fetch
    }
    registry.close();
  }
}
