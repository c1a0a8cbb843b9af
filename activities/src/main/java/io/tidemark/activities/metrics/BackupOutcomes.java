package io.tidemark.activities.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.tidemark.workflows.model.BackupRecord;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Backups committed, by cluster and status, and when the last completed one was committed: what
 * an alert on "no good backup for a day" needs. Recorded by the worker that ran CommitBackup, so
 * a fleet's answer is the max over its shared workers (and a restarted worker knows none until
 * the next backup).
 */
final class BackupOutcomes {

  private final MeterRegistry registry;
  private final Map<String, AtomicLong> lastCompleted = new ConcurrentHashMap<>();

  BackupOutcomes(MeterRegistry registry) {
    this.registry = registry;
  }

  void committed(BackupRecord record) {
    Counter.builder(MetricNames.BACKUPS_COMMITTED).description("backup records committed, by status")
        .tags(Tags.of("cluster", record.cluster(), "status", record.status())).register(registry).increment();
    if (record.isCompleted()) {
      lastCompleted.computeIfAbsent(record.cluster(), cluster -> {
        AtomicLong at = new AtomicLong();
        Gauge.builder(MetricNames.BACKUP_LAST_COMPLETED, at, AtomicLong::get)
            .description("Unix time at which this worker committed the cluster's last completed backup")
            .tags(Tags.of("cluster", cluster)).strongReference(true).register(registry);
        return at;
      }).set(Instant.now().getEpochSecond());
    }
  }
}
