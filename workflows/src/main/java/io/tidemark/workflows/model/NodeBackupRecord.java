package io.tidemark.workflows.model;

import java.util.List;

/**
 * What one node's backup produced, as stored in backup.json.
 *
 * @param session the backup session whose files make up the backup (sessions restart when the
 *     process holding the PostgreSQL connection dies)
 * @param pgVersion server_version_num, for example 150019
 * @param startWal first WAL segment the backup needs
 * @param stopWal last WAL segment the backup needs
 * @param bytes bytes read from the data directory
 * @param storedBytes bytes written to the repository (after compression)
 * @param corruptPages data pages whose checksum failed when copied; the backup completes, and says so
 * @param corruptPageSamples some of them, as "path block N"
 * @param reuse what crashes cost and saved: files reused from lost sessions, bytes sent twice
 *     (null in records written before Tidemark reported it)
 */
public record NodeBackupRecord(
    String node,
    String status,
    String error,
    int session,
    int pgVersion,
    String systemIdentifier,
    int timeline,
    String startLsn,
    String stopLsn,
    String startWal,
    String stopWal,
    long walSegmentSize,
    String startTime,
    String stopTime,
    long files,
    long bytes,
    long storedBytes,
    int batches,
    boolean dataChecksums,
    boolean tablespaceMap,
    long corruptPages,
    List<String> corruptPageSamples,
    Reuse reuse) {

  public static NodeBackupRecord failed(String node, String error) {
    return new NodeBackupRecord(node, BackupRecord.FAILED, error, 0, 0, null, 0, null, null, null,
        null, 0, null, null, 0, 0, 0, 0, false, false, 0, null, null);
  }
}
