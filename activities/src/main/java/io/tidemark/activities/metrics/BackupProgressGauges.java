package io.tidemark.activities.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How far the latest backup session of each node has come, as this worker saw it: the totals of
 * the file list it made, and what the batches it completed hold. A new backup or session of the
 * node starts both from zero. Several agents of one node each report their own share of
 * {@code done}; the agent that listed the files reports {@code planned}.
 */
final class BackupProgressGauges {

  private final MeterRegistry registry;
  private final String repositoryKind;
  private final Map<String, NodeProgress> nodes = new ConcurrentHashMap<>();

  BackupProgressGauges(MeterRegistry registry, String repositoryKind) {
    this.registry = registry;
    this.repositoryKind = repositoryKind;
  }

  void planned(String cluster, String node, String backupId, int session, long files, long bytes) {
    NodeProgress p = of(cluster, node).at(backupId, session);
    p.plannedFiles.set(files);
    p.plannedBytes.set(bytes);
  }

  void done(String cluster, String node, String backupId, int session, long files, long bytes) {
    NodeProgress p = of(cluster, node).at(backupId, session);
    p.doneFiles.addAndGet(files);
    p.doneBytes.addAndGet(bytes);
  }

  private NodeProgress of(String cluster, String node) {
    return nodes.computeIfAbsent(cluster + "/" + node, k -> {
      NodeProgress p = new NodeProgress();
      Tags tags = Tags.of("cluster", cluster, "node", node, "repository", repositoryKind);
      gauge(MetricNames.BACKUP_PLANNED_FILES, "files in the node's latest file list made here", tags, p.plannedFiles);
      gauge(MetricNames.BACKUP_PLANNED_BYTES, "bytes in the node's latest file list made here", tags, p.plannedBytes);
      gauge(MetricNames.BACKUP_DONE_FILES, "files in batches of that session completed here", tags, p.doneFiles);
      gauge(MetricNames.BACKUP_DONE_BYTES, "bytes in batches of that session completed here", tags, p.doneBytes);
      return p;
    });
  }

  private void gauge(String name, String description, Tags tags, AtomicLong value) {
    Gauge.builder(name, value, AtomicLong::get).description(description).tags(tags).strongReference(true)
        .register(registry);
  }

  private static final class NodeProgress {
    final AtomicLong plannedFiles = new AtomicLong();
    final AtomicLong plannedBytes = new AtomicLong();
    final AtomicLong doneFiles = new AtomicLong();
    final AtomicLong doneBytes = new AtomicLong();
    private String backupId;
    private int session;

    /** This node's progress, reset first if the backup or session changed. */
    synchronized NodeProgress at(String backupId, int session) {
      if (!Objects.equals(this.backupId, backupId) || this.session != session) {
        this.backupId = backupId;
        this.session = session;
        plannedFiles.set(0);
        plannedBytes.set(0);
        doneFiles.set(0);
        doneBytes.set(0);
      }
      return this;
    }
  }
}
