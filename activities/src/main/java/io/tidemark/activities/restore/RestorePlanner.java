package io.tidemark.activities.restore;

import io.temporal.failure.ApplicationFailure;
import io.tidemark.activities.backup.BackupCatalog;
import io.tidemark.activities.config.ClusterSettings;
import io.tidemark.activities.config.ConfigException;
import io.tidemark.activities.config.NodeSettings;
import io.tidemark.activities.config.TidemarkConfig;
import io.tidemark.activities.wal.WalArchive;
import io.tidemark.workflows.Failures;
import io.tidemark.workflows.TaskQueues;
import io.tidemark.workflows.activities.ClusterActivities.RestorePlan;
import io.tidemark.workflows.model.BackupRecord;
import io.tidemark.workflows.model.Lsn;
import io.tidemark.workflows.model.NodeBackupRecord;
import io.tidemark.workflows.model.RestorePoint;
import io.tidemark.workflows.model.WalFileName;
import io.tidemark.workflows.restore.AfterRestoreSql;
import io.tidemark.workflows.restore.NodeTarget;
import io.tidemark.workflows.restore.RecoveryTarget;
import io.tidemark.workflows.restore.RestoreRequest;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * ResolveRestore: picks the backup a restore asks for and checks the request against it before a
 * single file is fetched.
 */
public final class RestorePlanner {

  /** PostgreSQL's own timestamptz text (2026-11-21 10:30:00.5+00), and ISO-8601. */
  static final DateTimeFormatter POSTGRES_TIME = new DateTimeFormatterBuilder()
      .appendPattern("yyyy-MM-dd[ ]['T']HH:mm:ss")
      .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
      .appendOffset("+HH:mm", "Z")
      .toFormatter();

  private final TidemarkConfig config;
  private final BackupCatalog catalog;
  private final WalArchive wal;

  public RestorePlanner(TidemarkConfig config, BackupCatalog catalog, WalArchive wal) {
    this.config = config;
    this.catalog = catalog;
    this.wal = wal;
  }

  public RestorePlan plan(RestoreRequest request) throws IOException {
    RestoreRequest req;
    try {
      req = request.validated();
    } catch (IllegalArgumentException e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), Failures.INVALID_REQUEST);
    }
    ClusterSettings cluster;
    try {
      cluster = config.requireCluster(req.cluster());
    } catch (ConfigException e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), Failures.UNKNOWN_CLUSTER);
    }
    BackupRecord backup = find(req.cluster(), req.backup());
    checkNodes(backup, req.nodes());
    RecoveryTarget target = req.target() != null ? req.target() : defaultTarget(backup);
    checkOneMoment(backup, target);
    checkTarget(backup, target);
    checkWal(backup, target);
    List<String> queues = new ArrayList<>();
    for (NodeTarget t : req.nodes()) {
      queues.add(t.taskQueue() != null ? t.taskQueue()
          : cluster.node(t.node()).map(NodeSettings::taskQueue).orElse(TaskQueues.node(t.node())));
    }
    Map<String, String> sourceValues = new LinkedHashMap<>();
    for (NodeBackupRecord n : backup.nodes()) {
      cluster.node(n.node()).ifPresent(s -> sourceValues.putAll(AfterRestoreSql.sourceValues(n.node(), s.host(), s.port())));
    }
    List<String> backedUp = backup.nodes().stream().map(NodeBackupRecord::node).toList();
    String coordinator = backedUp.contains(cluster.coordinator().name()) ? cluster.coordinator().name() : backedUp.get(0);
    try {
      AfterRestoreSql.check(cluster.afterRestore(), backedUp);
    } catch (IllegalArgumentException e) {
      throw ApplicationFailure.newNonRetryableFailure("the configuration of cluster " + req.cluster() + ": "
          + e.getMessage() + " (backup " + backup.id() + " has those nodes)", Failures.CONFIGURATION);
    }
    return new RestorePlan(backup, queues, target, coordinator, cluster.afterRestore(), sourceValues,
        config.temporal().searchAttributes());
  }

  /** The backup's cluster restore point; the backup's end for one made before there were restore points. */
  static RecoveryTarget defaultTarget(BackupRecord backup) {
    return backup.restorePoint() != null ? RecoveryTarget.atName(backup.restorePoint().name())
        : RecoveryTarget.immediateTarget();
  }

  /**
   * Several nodes are restored to one moment: a restore point or a time. An LSN or a transaction
   * id means something in one node's WAL only, and each node's backup ends at its own moment.
   */
  static void checkOneMoment(BackupRecord backup, RecoveryTarget target) {
    if (backup.nodes().size() > 1 && List.of("immediate", "lsn", "xid").contains(target.kind())) {
      throw ApplicationFailure.newNonRetryableFailure("backup " + backup.id() + " has " + backup.nodes().size()
          + " nodes, and a '" + target.kind() + "' target means a different moment on each: restore them to the backup's"
          + " cluster restore point (leave 'target' out" + (backup.restorePoint() == null ? ""
          : ", or {\"name\": \"" + backup.restorePoint().name() + "\"}") + "), another restore point ('name'), a 'time'"
          + " or 'latest'", Failures.INVALID_REQUEST);
    }
  }

  private BackupRecord find(String cluster, String id) throws IOException {
    if (id.equals("latest")) {
      return catalog.newestCompleted(cluster).orElseThrow(() -> ApplicationFailure.newNonRetryableFailure(
          "cluster " + cluster + " has no completed backup to restore", Failures.UNKNOWN_BACKUP));
    }
    BackupRecord record = catalog.find(cluster, id).orElse(null);
    if (record == null) {
      List<String> ids = catalog.list(cluster).stream().map(BackupRecord::id).toList();
      throw ApplicationFailure.newNonRetryableFailure("no backup " + id + " of cluster " + cluster + "; "
          + (ids.isEmpty() ? "it has no backups" : "its backups: " + ids.subList(Math.max(0, ids.size() - 10), ids.size()))
          + " (tidemark show --cluster " + cluster + ")", Failures.UNKNOWN_BACKUP);
    }
    if (!record.isCompleted()) {
      throw ApplicationFailure.newNonRetryableFailure("backup " + id + " of cluster " + cluster + " did not complete ("
          + record.error() + "); it cannot be restored", Failures.UNKNOWN_BACKUP);
    }
    return record;
  }

  private static void checkNodes(BackupRecord backup, List<NodeTarget> targets) {
    Set<String> inBackup = backup.nodes().stream().map(NodeBackupRecord::node).collect(Collectors.toSet());
    Set<String> targeted = targets.stream().map(NodeTarget::node).collect(Collectors.toSet());
    for (String n : targeted) {
      if (!inBackup.contains(n)) {
        throw ApplicationFailure.newNonRetryableFailure("backup " + backup.id() + " has no node '" + n + "'; its nodes: "
            + backup.nodes().stream().map(NodeBackupRecord::node).toList(), Failures.INVALID_REQUEST);
      }
    }
    for (String n : inBackup) {
      if (!targeted.contains(n)) {
        throw ApplicationFailure.newNonRetryableFailure("node '" + n + "' of backup " + backup.id()
            + " has no target: add it to 'nodes' (a cluster is restored whole)", Failures.INVALID_REQUEST);
      }
    }
  }

  /**
   * Without the WAL from its start to its end a backup cannot even become consistent; restored to
   * its own restore point, it needs the WAL up to that too.
   */
  private void checkWal(BackupRecord backup, RecoveryTarget target) throws IOException {
    RestorePoint point = backup.restorePoint();
    boolean toRestorePoint = point != null && point.name().equals(target.name());
    for (NodeBackupRecord n : backup.nodes()) {
      long size = n.walSegmentSize();
      String last = toRestorePoint ? point.node(n.node()).map(RestorePoint.Node::walFile).orElse(n.stopWal()) : n.stopWal();
      String missing = wal.firstMissing(backup.cluster(), n.node(), n.timeline(),
          WalFileName.segmentNumberOf(n.startWal(), size), WalFileName.segmentNumberOf(last, size), size);
      if (missing != null) {
        throw ApplicationFailure.newNonRetryableFailure("backup " + backup.id() + " cannot be restored: node " + n.node()
            + " needs WAL " + n.startWal() + " to " + last + ", and " + missing + " is missing from the archive"
            + " (tidemark validate --cluster " + backup.cluster() + " --backup " + backup.id() + " lists what else is)",
            Failures.CORRUPT_BACKUP);
      }
    }
  }

  /** A backup can only be recovered to a point after it ended. */
  static void checkTarget(BackupRecord backup, RecoveryTarget target) {
    if (target.lsn() != null) {
      Lsn lsn = Lsn.parse(target.lsn());
      for (NodeBackupRecord n : backup.nodes()) {
        if (lsn.isBefore(Lsn.parse(n.stopLsn()))) {
          throw beforeBackup("LSN " + target.lsn(), backup, "node " + n.node() + " ended at " + n.stopLsn());
        }
      }
    }
    if (target.time() != null) {
      Instant time;
      try {
        time = OffsetDateTime.parse(target.time().trim(), POSTGRES_TIME).toInstant();
      } catch (DateTimeParseException e) {
        throw ApplicationFailure.newNonRetryableFailure("cannot read target.time '" + target.time()
            + "': give a timestamp with its offset, such as 2026-11-21 10:30:00+00", Failures.INVALID_REQUEST);
      }
      Instant end = Instant.parse(backup.stopTime());
      if (time.isBefore(end)) {
        throw beforeBackup("time " + target.time(), backup, "it ended at " + end);
      }
    }
  }

  private static ApplicationFailure beforeBackup(String what, BackupRecord backup, String detail) {
    return ApplicationFailure.newNonRetryableFailure("recovery target " + what + " is before the end of backup "
        + backup.id() + " (" + detail + "): a backup can only be recovered to a later point; restore an earlier backup"
        + " or choose a later target", Failures.TARGET_BEFORE_BACKUP);
  }
}
