package io.tidemark.activities.backup;

import io.temporal.failure.ApplicationFailure;
import io.tidemark.activities.config.NodeSettings;
import io.tidemark.activities.config.TidemarkConfig;
import io.tidemark.activities.manifest.ManifestWriter;
import io.tidemark.activities.metrics.TransferMetrics;
import io.tidemark.activities.postgres.PgConnections;
import io.tidemark.activities.postgres.SessionRegistry;
import io.tidemark.activities.repository.Repository;
import io.tidemark.activities.runtime.ActivityErrors;
import io.tidemark.activities.runtime.Heartbeat;
import io.tidemark.activities.wal.ReadyWalPush;
import io.tidemark.activities.wal.WalPusher;
import io.tidemark.activities.wal.WalWaiter;
import io.tidemark.activities.wal.spool.WalSpool;
import io.tidemark.workflows.Failures;
import io.tidemark.workflows.activities.NodeBackupActivities;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;

/** The node agent's backup activities; each delegates to the class that does the work. */
public final class NodeBackupActivitiesImpl implements NodeBackupActivities {

  private final TidemarkConfig config;
  private final BackupStarter starter;
  private final FileListSender fileLists;
  private final BatchSender batches;
  private final WalWaiter walWaiter;
  private final WalPusher walPusher;
  private final ManifestWriter manifests;
  private final TransferMetrics metrics;

  public NodeBackupActivitiesImpl(TidemarkConfig config, Repository repo, SessionRegistry sessions) {
    this(config, repo, sessions, TransferMetrics.none());
  }

  public NodeBackupActivitiesImpl(TidemarkConfig config, Repository repo, SessionRegistry sessions,
      TransferMetrics metrics) {
    this.config = config;
    this.metrics = metrics;
    this.starter = new BackupStarter(repo, sessions);
    this.fileLists = new FileListSender(repo, config.repository().zstdLevel());
    this.batches = new BatchSender(repo, config.repository().zstdLevel());
    this.walWaiter = new WalWaiter(repo, Clock.systemUTC());
    this.walPusher = new WalPusher(repo, config.repository().zstdLevel());
    this.manifests = new ManifestWriter(repo);
  }

  @Override
  public StartBackupResult startBackup(StartBackupInput in) {
    return ActivityErrors.run(() -> starter.start(in, node(in.cluster(), in.node()), Heartbeat.ofCurrentActivity()));
  }

  @Override
  public FileListSummary sendFileList(SendFileListInput in) {
    return ActivityErrors.run(() -> {
      FileListSummary summary = fileLists.send(in, dataDirectory(in.cluster(), in.node()), Heartbeat.ofCurrentActivity());
      metrics.fileListed(in, summary);
      return summary;
    });
  }

  @Override
  public BatchResult sendFiles(SendFilesInput in) {
    return ActivityErrors.run(() -> {
      BatchResult result = batches.send(in, dataDirectory(in.cluster(), in.node()), Heartbeat.ofCurrentActivity());
      metrics.batchSent(in, result);
      return result;
    });
  }

  @Override
  public void waitForWal(WaitForWalInput in) {
    ActivityErrors.runVoid(() -> {
      Heartbeat heartbeat = Heartbeat.ofCurrentActivity();
      WalWaiter.Helper helper = WalWaiter.Helper.NONE;
      if (archiverWorks(in.cluster(), in.node())) {
        Path dataDirectory = dataDirectory(in.cluster(), in.node());
        ReadyWalPush ready = new ReadyWalPush(walPusher, dataDirectory, WalSpool.root(config.wal(), dataDirectory));
        helper = (first, last) -> ready.push(in.cluster(), in.node(), in.timeline(), first, last, in.walSegmentSize());
      }
      String missing = walWaiter.await(in.cluster(), in.node(), in.timeline(), in.startWal(), in.stopWal(),
          in.walSegmentSize(), Duration.ofSeconds(in.timeoutSeconds()), segment -> heartbeat.beat("waiting for " + segment),
          helper);
      if (missing != null) {
        throw ApplicationFailure.newNonRetryableFailure("WAL segment " + missing + " of node " + in.node()
            + " did not reach the repository within " + in.timeoutSeconds() + " s, so the backup cannot be restored. "
            + archiverReport(in.cluster(), in.node()) + "Check archive_command and the server log.",
            Failures.WAL_NOT_ARCHIVED);
      }
    });
  }

  @Override
  public void writeManifest(WriteManifestInput in) {
    ActivityErrors.runVoid(() -> manifests.write(in));
  }

  /**
   * Whether the server's archiver has archived and not failed since: only then may the agent push
   * ready segments itself (a backup must still fail when archive_command does).
   */
  private boolean archiverWorks(String cluster, String nodeName) {
    NodeSettings node = node(cluster, nodeName);
    try (Connection c = PgConnections.open(cluster, node, "tidemark wal wait");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT last_archived_time IS NOT NULL AND (last_failed_time IS NULL"
            + " OR last_failed_time < last_archived_time) FROM pg_stat_archiver")) {
      return rs.next() && rs.getBoolean(1);
    } catch (SQLException | RuntimeException e) {
      return false;
    }
  }

  /** What the server says about its archiver, to put in the error message. */
  private String archiverReport(String cluster, String nodeName) {
    NodeSettings node = node(cluster, nodeName);
    try (Connection c = PgConnections.open(cluster, node, "tidemark diagnostics");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(
            "SELECT archived_count, last_archived_wal, failed_count, last_failed_wal, last_failed_time FROM pg_stat_archiver")) {
      rs.next();
      return "The server's archiver: " + rs.getLong(1) + " archived (last " + rs.getString(2) + "), " + rs.getLong(3)
          + " failed (last " + rs.getString(4) + " at " + rs.getString(5) + "). ";
    } catch (SQLException | RuntimeException e) {
      return "";
    }
  }

  private NodeSettings node(String cluster, String node) {
    return config.requireNode(cluster, node);
  }

  private Path dataDirectory(String cluster, String node) {
    return Path.of(node(cluster, node).dataDirectory());
  }
}
