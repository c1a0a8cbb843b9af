package io.tidemark.activities.retention;

import io.tidemark.workflows.model.WalFileName;

/**
 * Where in the WAL stream an archived file lies, whatever its timeline: the 16 hex digits after
 * the timeline in a segment, partial segment or backup history file name. They compare as text
 * for every segment size, so no arithmetic is needed to say which file comes first.
 */
final class WalPositions {

  private WalPositions() {}

  static int compare(String walFileA, String walFileB) {
    return position(walFileA).compareTo(position(walFileB));
  }

  /** True for a segment, partial segment or backup history file wholly before {@code keepFrom}. */
  static boolean isBefore(String walFile, String keepFrom) {
    return WalFileName.isArchivable(walFile) && !WalFileName.isHistory(walFile) && compare(walFile, keepFrom) < 0;
  }

  private static String position(String walFile) {
    if (walFile.length() < 24) {
      throw new IllegalArgumentException("not a WAL segment name: '" + walFile + "'");
    }
    return walFile.substring(8, 24);
  }
}
