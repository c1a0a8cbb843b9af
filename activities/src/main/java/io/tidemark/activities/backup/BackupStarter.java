package io.tidemark.activities.backup;

import io.temporal.failure.ApplicationFailure;
import io.tidemark.activities.config.NodeSettings;
import io.tidemark.activities.postgres.BackupApi;
import io.tidemark.activities.postgres.ControlFile;
import io.tidemark.activities.postgres.PgConnections;
import io.tidemark.activities.postgres.PgVersions;
import io.tidemark.activities.postgres.ServerFacts;
import io.tidemark.activities.postgres.SessionRegistry;
import io.tidemark.activities.repository.Repository;
import io.tidemark.activities.runtime.Heartbeat;
import io.tidemark.activities.wal.ArchiveGuard;
import io.tidemark.workflows.Failures;
import io.tidemark.workflows.activities.NodeBackupActivities.StartBackupInput;
import io.tidemark.workflows.activities.NodeBackupActivities.StartBackupResult;
import io.tidemark.workflows.model.Lsn;
import io.tidemark.workflows.model.WalFileName;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

/**
 * StartBackup: checks that the node can be backed up at all, then starts the backup on a
 * connection that stays parked in this process's {@link SessionRegistry}.
 */
final class BackupStarter {

  private final Repository repo;
  private final SessionRegistry sessions;

  BackupStarter(Repository repo, SessionRegistry sessions) {
    this.repo = repo;
    this.sessions = sessions;
  }

  StartBackupResult start(StartBackupInput in, NodeSettings node, Heartbeat heartbeat) throws Exception {
    Connection c = PgConnections.open(in.cluster(), node, "tidemark backup " + in.backupId());
    try {
      ServerFacts facts = ServerFacts.query(c);
      checkReady(in.cluster(), node, facts);
      checkDataDirectory(node, facts);
      try {
        new ArchiveGuard(repo).check(in.cluster(), node.name(), facts.systemIdentifier());
      } catch (ArchiveGuard.ArchiveMismatchException e) {
        throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), Failures.ARCHIVE_MISMATCH);
      }
      String label = "tidemark " + in.backupId() + (in.label() == null ? "" : " " + in.label());
      String startLsn = Blocking.call(() -> BackupApi.start(c, facts.versionNum(), label, in.fastCheckpoint()),
          heartbeat, "waiting for the backup checkpoint", () -> closeQuietly(c));
      int timeline = BackupApi.checkpointTimeline(c);
      String sessionId = SessionRegistry.sessionId(in.cluster(), in.backupId(), node.name(), in.session());
      sessions.register(sessionId, node.name(), facts.versionNum(), facts.walSegmentSize(), c);
      String startWal = WalFileName.segmentNameFor(timeline, Lsn.parse(startLsn), facts.walSegmentSize());
      return new StartBackupResult(sessionId, sessions.queue(), facts.versionNum(), facts.systemIdentifier(),
          timeline, startLsn, startWal, facts.walSegmentSize(), Instant.now().toString(), facts.dataChecksums());
    } catch (SQLException e) {
      closeQuietly(c);
      throw PgConnections.queryFailure(node, "starting the backup", e);
    } catch (Exception | Error e) {
      closeQuietly(c);
      throw e;
    }
  }

  private static void checkReady(String cluster, NodeSettings node, ServerFacts facts) {
    String where = "node " + node.name() + " (" + node.address() + ")";
    if (facts.major() < PgVersions.OLDEST_SUPPORTED_MAJOR) {
      throw notReady(where + " runs PostgreSQL " + facts.major() + "; Tidemark supports "
          + PgVersions.OLDEST_SUPPORTED_MAJOR + " and later");
    }
    if (facts.inRecovery()) {
      throw notReady(where + " is a standby (in recovery); back up its primary (backups from a standby come later)");
    }
    if (facts.walLevel().equals("minimal")) {
      throw notReady(where + " has wal_level = minimal, which cannot be archived: set wal_level = replica and restart PostgreSQL");
    }
    if (!facts.archives()) {
      throw notReady(where + " does not archive WAL (archive_mode = " + facts.archiveMode() + "). Set archive_mode = on and"
          + " archive_command = 'tidemark wal-push --cluster " + cluster + " --node " + node.name() + " %p', then restart PostgreSQL");
    }
  }

  private static ApplicationFailure notReady(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, Failures.NODE_NOT_READY);
  }

  /** The configured data directory must be the running server's own. */
  private static void checkDataDirectory(NodeSettings node, ServerFacts facts) throws IOException {
    Path dir = Path.of(node.dataDirectory());
    String onDisk;
    try {
      onDisk = ControlFile.systemIdentifier(dir);
    } catch (NoSuchFileException e) {
      throw ApplicationFailure.newNonRetryableFailure("node " + node.name() + ": no PostgreSQL data directory at "
          + dir + " (global/pg_control is missing); the server reports data_directory = " + facts.dataDirectory()
          + ". Fix dataDirectory, and run the node's agent on the server's host.", Failures.CONFIGURATION);
    }
    if (!onDisk.equals(facts.systemIdentifier())) {
      throw ApplicationFailure.newNonRetryableFailure("node " + node.name() + ": the data directory " + dir
          + " belongs to database system " + onDisk + ", but the server at " + node.address() + " is system "
          + facts.systemIdentifier() + ". dataDirectory, host and port must name the same server.", Failures.CONFIGURATION);
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // closing ends the backup on the server, which is all we want here
    }
  }
}
