package io.tidemark.activities.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.tidemark.workflows.model.BackupRecord;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Backups committed, by cluster and status, and the stop time of each cluster's newest completed
 * backup: what an alert on "no good backup for a day" needs. The worker that runs CommitBackup
 * moves it; a shared worker also learns it from the repository as it starts (see
 * {@link NewestBackupSeed}), so a restart does not leave the alert blind.
 */
final class BackupOutcomes {

  private final MeterRegistry registry;
  private final Map<String, AtomicLong> newestCompleted = new ConcurrentHashMap<>();

  BackupOutcomes(MeterRegistry registry) {
    this.registry = registry;
  }

  void committed(BackupRecord record) {
    Counter.builder(MetricNames.BACKUPS_COMMITTED).description("backup records committed, by status")
        .tags(Tags.of("cluster", record.cluster(), "status", record.status())).register(registry).increment();
    if (record.isCompleted()) {
      // Tidemark's workflow always writes a stop time; a record without one was committed just now.
      forward(record.cluster(), epochSeconds(record.stopTime()).orElse(Instant.now().getEpochSecond()));
    }
  }

  /** What the repository holds: its newest completed backup, or none (0: an alert on its age fires). */
  void newestInRepository(String cluster, BackupRecord newest) {
    // A record without a stop time (none Tidemark writes) is dated by its start rather than now.
    long at = newest == null ? 0 : epochSeconds(newest.stopTime()).orElse(epochSeconds(newest.startTime()).orElse(0));
    forward(cluster, at);
  }

  /** Only ever forward: a seed read before a commit must not move the gauge back. */
  private void forward(String cluster, long epochSeconds) {
    newestCompleted.computeIfAbsent(cluster, c -> {
      AtomicLong at = new AtomicLong();
      Gauge.builder(MetricNames.BACKUP_LAST_COMPLETED, at, AtomicLong::get)
          .description("stop time of the cluster's newest completed backup, epoch seconds (0: none in the repository)")
          .tags(Tags.of("cluster", c)).strongReference(true).register(registry);
      return at;
    }).accumulateAndGet(epochSeconds, Math::max);
  }

  private static OptionalLong epochSeconds(String isoTime) {
    try {
      return isoTime == null ? OptionalLong.empty() : OptionalLong.of(Instant.parse(isoTime).getEpochSecond());
    } catch (DateTimeParseException malformed) {
      return OptionalLong.empty();
    }
  }
}
