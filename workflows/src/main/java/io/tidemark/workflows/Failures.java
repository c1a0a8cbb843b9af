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

  /** Retrying these only repeats the same answer. */
  public static final List<String> NON_RETRYABLE =
      List.of(INVALID_REQUEST, UNKNOWN_CLUSTER, CONFIGURATION, AUTHENTICATION, NODE_NOT_READY,
          BACKUP_IN_PROGRESS, SESSION_LOST, WAL_NOT_ARCHIVED, ARCHIVE_MISMATCH);

  private Failures() {}

  public static String[] nonRetryable() {
    return NON_RETRYABLE.toArray(String[]::new);
  }
}
