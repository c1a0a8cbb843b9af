package io.tidemark.workflows.backup;

import io.tidemark.workflows.json.ExternalInput;
import java.util.List;

/**
 * Input of the {@code ClusterBackup} workflow, as typed into the Temporal UI or sent by any SDK.
 *
 * @param cluster cluster name, as in the workers' configuration (required)
 * @param type backup type: {@code full} (the default; incremental types come later)
 * @param parallelism batches sent at once per node (default 4, 1 to 64)
 * @param label free text recorded in backup_label and the backup record
 * @param checkpoint {@code fast} (default: start at once) or {@code spread} (gentler on I/O)
 * @param walArchiveTimeoutSeconds how long to wait for the WAL the backup needs to reach the
 *     repository before failing (default 600)
 * @param sessionTimeoutSeconds how long a backup session's process may leave its queue unanswered
 *     before the session is taken for lost and a new one started (default 60)
 * @param manifestChecksum the file checksum in backup_manifest: {@code CRC32C} (default, computed
 *     anyway) or {@code SHA256} (computed too, at some cost)
 */
@ExternalInput
public record BackupRequest(
    String cluster,
    String type,
    Integer parallelism,
    String label,
    String checkpoint,
    Integer walArchiveTimeoutSeconds,
    Integer sessionTimeoutSeconds,
    String manifestChecksum) {

  public static final List<String> TYPES = List.of("full");
  public static final List<String> CHECKPOINTS = List.of("fast", "spread");
  public static final List<String> MANIFEST_CHECKSUMS = List.of("CRC32C", "SHA256");
  public static final int DEFAULT_PARALLELISM = 4;
  public static final int MAX_PARALLELISM = 64;
  public static final int DEFAULT_WAL_ARCHIVE_TIMEOUT_SECONDS = 600;
  public static final int DEFAULT_SESSION_TIMEOUT_SECONDS = 60;
  private static final int MAX_LABEL_LENGTH = 200;

  public static BackupRequest of(String cluster) {
    return new BackupRequest(cluster, null, null, null, null, null, null, null);
  }

  public BackupRequest(String cluster, String type, Integer parallelism, String label, String checkpoint,
      Integer walArchiveTimeoutSeconds, Integer sessionTimeoutSeconds) {
    this(cluster, type, parallelism, label, checkpoint, walArchiveTimeoutSeconds, sessionTimeoutSeconds, null);
  }

  /**
   * The request with defaults filled in.
   *
   * @throws IllegalArgumentException naming the field at fault and what it accepts
   */
  public BackupRequest validated() {
    if (cluster == null || cluster.isBlank()) {
      throw new IllegalArgumentException("field 'cluster' is required: the name of a cluster in the workers' configuration");
    }
    String t = type == null ? "full" : type;
    if (!TYPES.contains(t)) {
      throw new IllegalArgumentException("field 'type' is '" + type + "'; valid values: " + TYPES);
    }
    int p = parallelism == null ? DEFAULT_PARALLELISM : parallelism;
    if (p < 1 || p > MAX_PARALLELISM) {
      throw new IllegalArgumentException("field 'parallelism' is " + parallelism + "; valid values: 1 to " + MAX_PARALLELISM);
    }
    if (label != null && (label.length() > MAX_LABEL_LENGTH || !label.chars().allMatch(c -> c >= 0x20 && c != 0x7F))) {
      throw new IllegalArgumentException("field 'label' must be at most " + MAX_LABEL_LENGTH + " printable characters on one line");
    }
    String c = checkpoint == null ? "fast" : checkpoint;
    if (!CHECKPOINTS.contains(c)) {
      throw new IllegalArgumentException("field 'checkpoint' is '" + checkpoint + "'; valid values: " + CHECKPOINTS);
    }
    int w = walArchiveTimeoutSeconds == null ? DEFAULT_WAL_ARCHIVE_TIMEOUT_SECONDS : walArchiveTimeoutSeconds;
    if (w < 1) {
      throw new IllegalArgumentException("field 'walArchiveTimeoutSeconds' must be positive");
    }
    int s = sessionTimeoutSeconds == null ? DEFAULT_SESSION_TIMEOUT_SECONDS : sessionTimeoutSeconds;
    if (s < 1) {
      throw new IllegalArgumentException("field 'sessionTimeoutSeconds' must be positive");
    }
    String m = manifestChecksum == null ? "CRC32C" : manifestChecksum;
    if (!MANIFEST_CHECKSUMS.contains(m)) {
      throw new IllegalArgumentException("field 'manifestChecksum' is '" + manifestChecksum + "'; valid values: "
          + MANIFEST_CHECKSUMS);
    }
    return new BackupRequest(cluster, t, p, label, c, w, s, m);
  }
}
