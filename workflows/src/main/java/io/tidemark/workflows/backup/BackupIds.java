package io.tidemark.workflows.backup;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Backup ids sort by time and say their type: {@code 20261121-103000F} is a full backup. */
final class BackupIds {

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private BackupIds() {}

  static String of(long epochMillis, String type) {
    return STAMP.format(Instant.ofEpochMilli(epochMillis)) + typeLetter(type);
  }

  private static String typeLetter(String type) {
    switch (type) {
      case "full":
        return "F";
      case "diff":
        return "D";
      case "incr":
        return "I";
      default:
        throw new IllegalArgumentException("unknown backup type " + type);
    }
  }

  static String isoTime(long epochMillis) {
    return Instant.ofEpochMilli(epochMillis).toString();
  }
}
