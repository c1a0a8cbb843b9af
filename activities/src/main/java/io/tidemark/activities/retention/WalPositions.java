package io.tidemark.activities.retention;

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

  private static String position(String walFile) {
    if (walFile.length() < 24) {
      throw new IllegalArgumentException("not a WAL segment name: '" + walFile + "'");
    }
    return walFile.substring(8, 24);
  }
}
