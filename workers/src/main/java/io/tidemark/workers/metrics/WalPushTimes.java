package io.tidemark.workers.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.tidemark.activities.config.NodeSettings;
import io.tidemark.activities.config.TidemarkConfig;
import io.tidemark.activities.config.WalSettings;
import io.tidemark.activities.runtime.DaemonThreads;
import io.tidemark.activities.wal.spool.PushStats;
import io.tidemark.activities.wal.spool.PushStatsFile;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How long wal-push's transfers take, on the agent of each node: wal-push lives for one WAL file
 * and cannot be scraped, so it adds its transfers to the push spool's {@link PushStatsFile}, and
 * the agent, on the same host, reads that file every {@link #PERIOD_SECONDS} and exports it as it
 * is: a histogram of cumulative counts (no reading counts anything twice), the bytes, and the
 * longest transfer of the last minute or two.
 *
 * <p>A Prometheus collector rather than Micrometer meters: Micrometer records observations one by
 * one, while these arrive already counted into buckets.
 */
public final class WalPushTimes implements MultiCollector, AutoCloseable {

  public static final String SECONDS = "tidemark_wal_push_seconds";
  public static final String MAX = "tidemark_wal_push_seconds_max";
  /** A counter: scraped as {@code tidemark_wal_push_bytes_total}. */
  public static final String BYTES = "tidemark_wal_push_bytes";
  static final int PERIOD_SECONDS = 10;

  private static final Logger log = LoggerFactory.getLogger(WalPushTimes.class);

  /** One node's stats, as last read. */
  record NodeStats(String cluster, String node, PushStats stats) {}

  private record Node(String cluster, String name, Path dataDirectory) {}

  private final WalSettings wal;
  private final List<Node> nodes = new ArrayList<>();
  private final AtomicReference<List<NodeStats>> latest = new AtomicReference<>(List.of());
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("tidemark-wal-push-times"));

  /** @param refs the agent's nodes, "cluster/node" */
  public WalPushTimes(TidemarkConfig config, List<String> refs, PrometheusRegistry registry) {
    this(config, refs, registry, Duration.ofSeconds(PERIOD_SECONDS));
  }

  WalPushTimes(TidemarkConfig config, List<String> refs, PrometheusRegistry registry, Duration period) {
    this.wal = config.wal();
    for (String ref : refs) {
      int slash = ref.indexOf('/');
      String cluster = ref.substring(0, slash);
      NodeSettings settings = config.requireNode(cluster, ref.substring(slash + 1));
      nodes.add(new Node(cluster, settings.name(), Path.of(settings.dataDirectory())));
    }
    registry.register(this);
    if (!nodes.isEmpty()) {
      thread.scheduleWithFixedDelay(this::poll, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void poll() {
    List<NodeStats> read = new ArrayList<>();
    for (Node n : nodes) {
      try {
        PushStatsFile.of(wal, n.dataDirectory(), n.cluster(), n.name()).read()
            .ifPresent(stats -> read.add(new NodeStats(n.cluster(), n.name(), stats)));
      } catch (IOException | RuntimeException e) {
        // No pg_control (a node being restored, a standby not yet made) or no access: nothing to show.
        log.debug("cannot read the wal-push times of {}/{}: {}", n.cluster(), n.name(), e.toString());
      }
    }
    latest.set(List.copyOf(read));
  }

  @Override
  public MetricSnapshots collect() {
    return snapshots(latest.get(), System.currentTimeMillis());
  }

  /** The three metrics, one series per node, push kind and outcome. */
  static MetricSnapshots snapshots(List<NodeStats> all, long nowMillis) {
    if (all.isEmpty()) {
      return MetricSnapshots.of();
    }
    HistogramSnapshot.Builder seconds = HistogramSnapshot.builder().name(SECONDS)
        .help("wal-push transfers of one WAL file to the repository, by push (asked, ahead) and outcome");
    GaugeSnapshot.Builder max = GaugeSnapshot.builder().name(MAX)
        .help("the longest wal-push transfer of the last one to two minutes (0: none)");
    CounterSnapshot.Builder bytes = CounterSnapshot.builder().name(BYTES)
        .help("size of the WAL files wal-push transferred, before compression");
    for (NodeStats n : all) {
      PushStats stats = n.stats();
      double[] bounds = new double[stats.boundsSeconds().size() + 1];
      for (int i = 0; i < bounds.length - 1; i++) {
        bounds[i] = stats.boundsSeconds().get(i);
      }
      bounds[bounds.length - 1] = Double.POSITIVE_INFINITY;
      for (PushStats.Series s : stats.series()) {
        Labels labels = Labels.of("cluster", n.cluster(), "node", n.node(), "push", s.push(), "outcome", s.outcome());
        seconds.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
            .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds,
                s.buckets().stream().mapToLong(Long::longValue).toArray()))
            .sum(s.sumNanos() / 1e9).labels(labels).build());
        max.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
            .value(s.recentMaxNanos(nowMillis) / 1e9).labels(labels).build());
        bytes.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(s.bytes()).labels(labels).build());
      }
    }
    return MetricSnapshots.of(seconds.build(), max.build(), bytes.build());
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
