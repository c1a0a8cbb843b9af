package io.tidemark.workers.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.activities.config.ConfigLoader;
import io.tidemark.activities.config.ListenAddress;
import io.tidemark.activities.config.TidemarkConfig;
import io.tidemark.activities.wal.spool.PushStatsFile;
import io.tidemark.activities.wal.spool.PushTiming;
import io.tidemark.activities.wal.spool.WalSpool;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What wal-push adds to its spool's stats file is what the node's agent serves: a Prometheus
 * histogram with cumulative buckets, the bytes and the recent maximum, read as often as polled
 * without counting anything twice.
 */
class WalPushTimesTest {

  static final long MS = 1_000_000;
  static final Map<String, String> ASKED = Map.of("cluster", "main", "node", "pg1", "push", "asked", "outcome", "stored");

  @TempDir
  Path tmp;

  @Test
  void theAgentServesTheSpoolsPushTimesAsAHistogram() throws Exception {
    Path data = Files.createDirectories(tmp.resolve("pg1"));
    Files.createDirectories(data.resolve("global"));
    Files.write(data.resolve("global/pg_control"),
        ByteBuffer.allocate(512).order(ByteOrder.nativeOrder()).putLong(7_300_000_000_000_000_001L).array());
    TidemarkConfig config = new ConfigLoader(k -> null).parse("""
        repository:
          local:
            path: %s
        clusters:
          main:
            nodes:
              - name: pg1
                dataDirectory: %s
        """.formatted(tmp.resolve("repo"), data), "test");
    // As wal-push opens it: the default spool in pg_wal, for the server's system identifier.
    WalSpool spool = WalSpool.open(WalSpool.root(config.wal(), data), WalSpool.PUSH, "main", "pg1",
        "7300000000000000001");
    PushStatsFile stats = PushStatsFile.in(spool);
    stats.add(List.of(new PushTiming(PushTiming.ASKED, PushTiming.STORED, 4 * MS, 16 << 20),
        new PushTiming(PushTiming.ASKED, PushTiming.STORED, 40 * MS, 16 << 20),
        new PushTiming(PushTiming.AHEAD, PushTiming.FAILED, 3000 * MS, 16 << 20)), System.currentTimeMillis());

    try (WorkerMetrics metrics = WorkerMetrics.serve(ListenAddress.parse("0"));
        WalPushTimes times = new WalPushTimes(config, List.of("main/pg1"), metrics.prometheusRegistry(),
            Duration.ofMillis(200))) {
      String url = "http://" + ListenAddress.of(metrics.address()) + "/metrics";
      Scrape s = Scrape.of(url);
      for (int i = 0; i < 100 && !s.has("tidemark_wal_push_seconds_count"); i++) {
        Thread.sleep(50);
        s = Scrape.of(url);
      }
      assertTrue(s.text.contains("# TYPE tidemark_wal_push_seconds histogram"), s.text);
      assertEquals(2, s.sum("tidemark_wal_push_seconds_count", ASKED));
      assertEquals(0.044, s.sum("tidemark_wal_push_seconds_sum", ASKED), 1e-9);
      assertEquals(2L * (16 << 20), s.sum("tidemark_wal_push_bytes_total", ASKED));
      assertEquals(0.04, s.sum("tidemark_wal_push_seconds_max", ASKED), 1e-9);
      assertEquals(0, bucket(s, ASKED, "0.001"), "cumulative buckets: none that fast");
      assertEquals(1, bucket(s, ASKED, "0.005"));
      assertEquals(1, bucket(s, ASKED, "0.025"));
      assertEquals(2, bucket(s, ASKED, "0.05"));
      assertEquals(2, bucket(s, ASKED, "+Inf"));
      Map<String, String> failedAhead = Map.of("node", "pg1", "push", "ahead", "outcome", "failed");
      assertEquals(1, s.sum("tidemark_wal_push_seconds_count", failedAhead));
      assertEquals(0, bucket(s, failedAhead, "2.5"));
      assertEquals(1, bucket(s, failedAhead, "5.0"));

      Thread.sleep(500); // polled again, nothing pushed meanwhile
      assertEquals(2, Scrape.of(url).sum("tidemark_wal_push_seconds_count", ASKED), "read again, counted once");

      stats.add(List.of(new PushTiming(PushTiming.ASKED, PushTiming.STORED, 6 * MS, 100)), System.currentTimeMillis());
      for (int i = 0; i < 100 && Scrape.of(url).sum("tidemark_wal_push_seconds_count", ASKED) < 3; i++) {
        Thread.sleep(50);
      }
      Scrape later = Scrape.of(url);
      assertEquals(3, later.sum("tidemark_wal_push_seconds_count", ASKED));
      assertEquals(2, bucket(later, ASKED, "0.01"));
    }
  }

  @Test
  void aNodeWithoutStatsOrDataDirectoryExportsNothingAndBreaksNothing() throws Exception {
    TidemarkConfig config = new ConfigLoader(k -> null).parse("""
        repository:
          local:
            path: %s
        clusters:
          main:
            nodes:
              - name: pg1
                dataDirectory: %s
        """.formatted(tmp.resolve("repo"), tmp.resolve("nowhere")), "test");
    try (WorkerMetrics metrics = WorkerMetrics.serve(ListenAddress.parse("0"));
        WalPushTimes times = new WalPushTimes(config, List.of("main/pg1"), metrics.prometheusRegistry(),
            Duration.ofMillis(100))) {
      Thread.sleep(300);
      Scrape s = Scrape.of("http://" + ListenAddress.of(metrics.address()) + "/metrics");
      assertFalse(s.has("tidemark_wal_push_seconds_count"));
    }
  }

  private static double bucket(Scrape s, Map<String, String> labels, String le) {
    Map<String, String> match = new java.util.HashMap<>(labels);
    match.put("le", le);
    return s.sum("tidemark_wal_push_seconds_bucket", match);
  }
}
