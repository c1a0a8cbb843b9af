package io.tidemark.activities.repository;

import io.tidemark.workflows.model.WalFileName;

/**
 * Every key Tidemark writes, in one place:
 *
 * <pre>
 * &lt;cluster&gt;/locks/backup.json                          the running backup's (or retention run's) lock
 * &lt;cluster&gt;/locks/restores/&lt;workflow id&gt;.json           a restore's lease on the backup it reads
 * &lt;cluster&gt;/backups/&lt;id&gt;/backup.json                    the record, written last: the commit marker
 * &lt;cluster&gt;/backups/&lt;id&gt;/&lt;node&gt;/s&lt;n&gt;/filelist/b00000     session n's file list, one object per batch
 * &lt;cluster&gt;/backups/&lt;id&gt;/&lt;node&gt;/s&lt;n&gt;/filelist/directories  directories and tablespace links
 * &lt;cluster&gt;/backups/&lt;id&gt;/&lt;node&gt;/s&lt;n&gt;/files/b00000        what each batch stored, with checksums
 * &lt;cluster&gt;/backups/&lt;id&gt;/&lt;node&gt;/s&lt;n&gt;/data/b00000-a1-0000  packs of file frames
 * &lt;cluster&gt;/backups/&lt;id&gt;/&lt;node&gt;/s&lt;n&gt;/backup_label        from pg_backup_stop, byte for byte
 * &lt;cluster&gt;/backups/&lt;id&gt;/&lt;node&gt;/s&lt;n&gt;/backup_manifest     PostgreSQL's format, for pg_verifybackup
 * &lt;cluster&gt;/wal/&lt;node&gt;/archive.json                    which database system the archive belongs to
 * &lt;cluster&gt;/wal/&lt;node&gt;/&lt;timeline&gt;/&lt;file&gt;.zst             archived WAL
 * </pre>
 *
 * A node's backup is the work of one backup session; the record names it. Keys inside a node's
 * folder (pack names in file lists) are relative to that folder.
 */
public final class RepositoryLayout {

  private RepositoryLayout() {}

  public static String backups(String cluster) {
    return cluster + "/backups/";
  }

  public static String backup(String cluster, String backupId) {
    return backups(cluster) + backupId + "/";
  }

  public static String backupRecord(String cluster, String backupId) {
    return backup(cluster, backupId) + "backup.json";
  }

  public static String backupLock(String cluster) {
    return cluster + "/locks/backup.json";
  }

  public static String restoreLeases(String cluster) {
    return cluster + "/locks/restores/";
  }

  /** The workflow id is URL-encoded: ids are free text (the Temporal UI takes any) and may hold '/'. */
  public static String restoreLease(String cluster, String workflowId) {
    return restoreLeases(cluster) + java.net.URLEncoder.encode(workflowId, java.nio.charset.StandardCharsets.UTF_8)
        + ".json";
  }

  public static String node(String cluster, String backupId, String node) {
    return backup(cluster, backupId) + node + "/";
  }

  /** The session's folder, relative to the node's folder. */
  public static String session(int session) {
    return "s" + session + "/";
  }

  public static String batchName(int batch) {
    return String.format("b%05d", batch);
  }

  public static String fileList(int session, int batch) {
    return session(session) + "filelist/" + batchName(batch);
  }

  public static String directories(int session) {
    return session(session) + "filelist/directories";
  }

  public static String storedFiles(int session, int batch) {
    return session(session) + "files/" + batchName(batch);
  }

  /** A pack written by one attempt of one batch: attempts never overwrite each other's packs. */
  public static String pack(int session, int batch, int attempt, int sequence) {
    return packs(session) + batchName(batch) + "-a" + attempt + "-" + String.format("%04d", sequence);
  }

  /** The folder of a session's packs, relative to the node's folder. */
  public static String packs(int session) {
    return session(session) + "data/";
  }

  /** The batch a pack (by its name in {@link #packs}) was written for: {@code b00042}. */
  public static String batchOfPack(String packName) {
    int dash = packName.indexOf('-');
    return dash < 0 ? packName : packName.substring(0, dash);
  }

  /** The attempt that wrote a pack (by its name in {@link #packs}), or 0 if the name has none. */
  public static int attemptOfPack(String packName) {
    String[] parts = packName.split("-");
    if (parts.length < 3 || !parts[1].startsWith("a")) {
      return 0;
    }
    try {
      return Integer.parseInt(parts[1].substring(1));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  public static String backupLabel(int session) {
    return session(session) + "backup_label";
  }

  public static String tablespaceMap(int session) {
    return session(session) + "tablespace_map";
  }

  /** The backup_manifest, in PostgreSQL's format. */
  public static String manifest(int session) {
    return session(session) + "backup_manifest";
  }

  public static String wal(String cluster, String node) {
    return cluster + "/wal/" + node + "/";
  }

  public static String walTimeline(String cluster, String node, int timeline) {
    return wal(cluster, node) + WalFileName.timelineDirectory(timeline) + "/";
  }

  public static String walObject(String cluster, String node, String walFileName) {
    return walTimeline(cluster, node, WalFileName.timelineOf(walFileName)) + walFileName + ".zst";
  }

  public static String archiveInfo(String cluster, String node) {
    return wal(cluster, node) + "archive.json";
  }
}
