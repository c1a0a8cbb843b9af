package io.tidemark.workers.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.tidemark.activities.config.NodeSettings;
import io.tidemark.activities.config.TidemarkConfig;
import io.tidemark.activities.postgres.PgConnections;
import io.tidemark.activities.runtime.DaemonThreads;
import io.tidemark.workflows.model.WalFileName;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far each of this agent's nodes is behind in archiving WAL, read from PostgreSQL's own
 * pg_stat_archiver every {@link #PERIOD_SECONDS}. wal-push runs in short processes PostgreSQL
 * starts, which no scraper can reach; the archiver's view of them is what an operator alerts on:
 * segments finished but not archived, the time of the last one archived, failures.
 */
public final class ArchiveLag implements AutoCloseable {

  public static final String LAG_SEGMENTS = "tidemark.wal.archive.lag.segments";
  public static final String LAST_ARCHIVED = "tidemark.wal.last.archived.timestamp.seconds";
  public static final String FAILURES = "tidemark.wal.archive.failures";
  public static final String ARCHIVED = "tidemark.wal.archived.files";
  public static final String UP = "tidemark.wal.archive.check.up";
  static final int PERIOD_SECONDS = 10;

  private static final Logger log = LoggerFactory.getLogger(ArchiveLag.class);
  private static final String QUERY = "SELECT last_archived_wal, extract(epoch FROM last_archived_time)::bigint,"
      + " failed_count, CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_walfile_name(pg_current_wal_lsn()) END,"
      + " (SELECT setting::bigint FROM pg_settings WHERE name = 'wal_segment_size'), archived_count"
      + " FROM pg_stat_archiver";

  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("tidemark-archive-lag"));

  /** One node's readings, and the gauges that show them. */
  static final class Readings {
    final AtomicLong lag = new AtomicLong(-1);
    final AtomicLong lastArchived = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    final AtomicLong archived = new AtomicLong();
    final AtomicLong up = new AtomicLong();

    Readings(MeterRegistry registry, String cluster, String node) {
      Tags tags = Tags.of("cluster", cluster, "node", node);
      Gauge.builder(LAG_SEGMENTS, lag, AtomicLong::get).tags(tags)
          .description("WAL segments finished but not yet archived (-1: not known)").register(registry);
      Gauge.builder(LAST_ARCHIVED, lastArchived, AtomicLong::get).tags(tags)
          .description("when the last WAL file was archived, epoch seconds (0: never)").register(registry);
      Gauge.builder(FAILURES, failures, AtomicLong::get).tags(tags)
          .description("archive_command failures since PostgreSQL's statistics were reset").register(registry);
      // Every successful call, also those the launcher answered from a mark without a transfer.
      Gauge.builder(ARCHIVED, archived, AtomicLong::get).tags(tags)
          .description("WAL files archive_command archived since PostgreSQL's statistics were reset")
          .register(registry);
      Gauge.builder(UP, up, AtomicLong::get).tags(tags)
          .description("1 if the last look at pg_stat_archiver succeeded").register(registry);
    }
  }

  private record Node(String cluster, NodeSettings settings, Readings readings) {}

  private final List<Node> nodes = new ArrayList<>();

  /** @param refs the agent's nodes, "cluster/node" */
  public ArchiveLag(TidemarkConfig config, List<String> refs, MeterRegistry registry) {
    for (String ref : refs) {
      int slash = ref.indexOf('/');
      String cluster = ref.substring(0, slash);
      NodeSettings settings = config.requireNode(cluster, ref.substring(slash + 1));
      nodes.add(new Node(cluster, settings, new Readings(registry, cluster, settings.name())));
    }
    if (!nodes.isEmpty()) {
      thread.scheduleWithFixedDelay(this::poll, 0, PERIOD_SECONDS, TimeUnit.SECONDS);
    }
  }

  private void poll() {
    for (Node n : nodes) {
      Readings r = n.readings();
      try (Connection c = PgConnections.open(n.cluster(), n.settings(), "tidemark archive lag");
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery(QUERY)) {
        rs.next();
        String archived = rs.getString(1);
        r.lastArchived.set(rs.getLong(2));
        r.failures.set(rs.getLong(3));
        r.archived.set(rs.getLong(6));
        r.lag.set(lag(archived, rs.getString(4), rs.getLong(5)));
        r.up.set(1);
      } catch (SQLException | RuntimeException e) {
        r.up.set(0);
        log.debug("cannot read pg_stat_archiver of {}/{}: {}", n.cluster(), n.settings().name(), e.getMessage());
      }
    }
  }

  /**
   * Segments before the one being written that are not archived: 0 when archiving keeps up; -1
   * when unknown (a standby, nothing archived yet and the server young, or a timeline history file
   * archived last).
   */
  static long lag(String lastArchived, String current, long segmentSize) {
    if (current == null || !WalFileName.isSegment(current)) {
      return -1;
    }
    long now = WalFileName.segmentNumberOf(current, segmentSize);
    String segment = lastArchived == null || lastArchived.length() < 24 ? null : lastArchived.substring(0, 24);
    if (segment == null || !WalFileName.isSegment(segment) || WalFileName.isHistory(lastArchived)) {
      return -1;
    }
    // A backup history file or a partial segment names its segment: every backup's stop archives
    // one, and an idle server may archive nothing else for a long time.
    return Math.max(0, now - WalFileName.segmentNumberOf(segment, segmentSize) - 1);
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
