package io.tidemark.activities.validate;

import java.util.List;

/**
 * What validating a backup found.
 *
 * @param walNewest per node, the newest WAL segment archived on the backup's timeline: how far
 *     point-in-time recovery can reach
 */
public record ValidationReport(
    String cluster,
    String backupId,
    long files,
    long bytes,
    long objects,
    long walSegments,
    List<String> walNewest,
    List<Problem> problems) {

  /**
   * One thing wrong.
   *
   * @param kind missing-object, damaged-object, missing-list, missing-label, manifest, missing-wal,
   *     damaged-wal, wal-gap, timeline
   * @param subject the object key or WAL file concerned
   */
  public record Problem(String kind, String node, String subject, String detail) {}

  public boolean ok() {
    return problems.isEmpty();
  }
}
