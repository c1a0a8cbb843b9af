package io.tidemark.workflows;

import java.util.List;

/**
 * Failure types carried by {@code ApplicationFailure}: what went wrong, as a name a caller can
 * match on. The non-retryable ones are mistakes that another attempt cannot fix.
 */
public final class Failures {

  public static final String INVALID_REQUEST = "InvalidRequest";
  public static final String UNKNOWN_CLUSTER = "UnknownCluster";
  public static final String CONFIGURATION = "ConfigurationError";
  public static final String AUTHENTICATION = "AuthenticationFailed";
  public static final String NODE_NOT_READY = "NodeNotReady";
  public static final String NODE_UNREACHABLE = "NodeUnreachable";
  public static final String BACKUP_IN_PROGRESS = "BackupInProgress";
  public static final String SESSION_LOST = "SessionLost";
  public static final String WAL_NOT_ARCHIVED = "WalNotArchived";
  public static final String ARCHIVE_MISMATCH = "ArchiveMismatch";
  public static final String UNKNOWN_BACKUP = "UnknownBackup";
  public static final String TARGET_BEFORE_BACKUP = "TargetBeforeBackup";
  public static final String TARGET_NOT_EMPTY = "TargetNotEmpty";
  public static final String PORT_IN_USE = "PortInUse";
  public static final String VERSION_MISMATCH = "VersionMismatch";
  public static final String CORRUPT_BACKUP = "CorruptBackup";
  public static final String RECOVERY_FAILED = "RecoveryFailed";
  public static final String TARGET_UNWRITABLE = "TargetUnwritable";
  public static final String RESTORE_POINT_FAILED = "RestorePointFailed";

  /** Retrying these only repeats the same answer. */
  public static final List<String> NON_RETRYABLE =
      List.of(INVALID_REQUEST, UNKNOWN_CLUSTER, CONFIGURATION, AUTHENTICATION, NODE_NOT_READY,
          BACKUP_IN_PROGRESS, SESSION_LOST, WAL_NOT_ARCHIVED, ARCHIVE_MISMATCH, UNKNOWN_BACKUP, TARGET_BEFORE_BACKUP,
          TARGET_NOT_EMPTY, PORT_IN_USE, VERSION_MISMATCH, CORRUPT_BACKUP, RECOVERY_FAILED, TARGET_UNWRITABLE);

  private Failures() {}

  public static String[] nonRetryable() {
    return NON_RETRYABLE.toArray(String[]::new);
  }
}
