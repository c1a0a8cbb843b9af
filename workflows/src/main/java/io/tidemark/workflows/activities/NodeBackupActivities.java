package io.tidemark.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import io.tidemark.workflows.model.Reuse;
import java.util.List;

/**
 * Backup activities that need the node: its PostgreSQL server and its data directory. They run on
 * the node's task queue, polled by the agent on the node's host.
 */
@ActivityInterface
public interface NodeBackupActivities {

  /**
   * Checks the node is ready (archiving on, WAL level, credentials), opens the session connection,
   * starts the backup on it and parks the connection in this process. The result names the
   * process's session queue, where StopBackup must go.
   */
  @ActivityMethod(name = "StartBackup")
  StartBackupResult startBackup(StartBackupInput input);

  /**
   * Walks the data directory and tablespaces with PostgreSQL's own exclusion rules, writes the file
   * list to the repository as batches and returns only their summary.
   */
  @ActivityMethod(name = "SendFileList")
  FileListSummary sendFileList(SendFileListInput input);

  /** Sends one batch of files to the repository; a retry resumes after the last stored object. */
  @ActivityMethod(name = "SendFiles")
  BatchResult sendFiles(SendFilesInput input);

  /** Waits until every WAL segment from start to stop of the backup is in the repository. */
  @ActivityMethod(name = "WaitForWal")
  void waitForWal(WaitForWalInput input);

  /** Writes the node's backup_manifest in PostgreSQL's format, from the stored file lists. */
  @ActivityMethod(name = "WriteManifest")
  void writeManifest(WriteManifestInput input);

  record StartBackupInput(
      String cluster, String node, String backupId, int session, String label, boolean fastCheckpoint) {}

  /**
   * @param sessionId key of the parked connection in its process
   * @param sessionQueue task queue of the process holding the connection
   * @param pgVersion server_version_num
   */
  record StartBackupResult(
      String sessionId,
      String sessionQueue,
      int pgVersion,
      String systemIdentifier,
      int timeline,
      String startLsn,
      String startWal,
      long walSegmentSize,
      String startTime,
      boolean dataChecksums) {}

  record SendFileListInput(
      String cluster, String node, String backupId, int session, int pgVersion, int parallelism) {}

  /**
   * @param batches number of batches; the last one holds only global/pg_control, which is sent
   *     after every other batch
   * @param reuseCandidates files an earlier, lost session stored with the same size and mtime
   */
  record FileListSummary(long files, long bytes, long directories, int batches, long reuseCandidates) {
    public int finalBatch() {
      return batches - 1;
    }
  }

  /**
   * @param verifyPageChecksums check data page checksums as files are read (the cluster has them on)
   * @param startLsn the backup's start: pages changed since are left to WAL replay, not checked
   * @param sha256 compute each file's SHA-256 too, for a SHA-256 backup_manifest
   */
  record SendFilesInput(String cluster, String node, String backupId, int session, int batch,
      boolean verifyPageChecksums, String startLsn, boolean sha256) {}

  /**
   * @param vanished files listed but gone when read (dropped tables, say): not an error
   * @param resumed files a retried attempt found already stored by an earlier attempt
   * @param reuse files reused from a lost session and bytes sent twice (null from older workers)
   * @param corruptPages data pages whose checksum failed (twice)
   * @param corruptPageSamples some of them, as "path block N"
   */
  record BatchResult(int batch, long files, long bytes, long storedBytes, long vanished, long resumed, long corruptPages,
      List<String> corruptPageSamples, Reuse reuse) {}


  /** @param sha256 SHA-256 file checksums (CRC-32C when false) */
  record WriteManifestInput(String cluster, String node, String backupId, int session, int batches, int pgVersion,
      String systemIdentifier, int timeline, String startLsn, String stopLsn, String stopTime, boolean sha256) {}

  record WaitForWalInput(
      String cluster,
      String node,
      int timeline,
      String startWal,
      String stopWal,
      long walSegmentSize,
      int timeoutSeconds) {}
}
