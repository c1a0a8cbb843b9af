package io.tidemark.workflows.model;

import java.util.regex.Pattern;

/**
 * Names of files in a WAL archive: segments ({@code 000000010000000A000000FE}), timeline history
 * files ({@code 00000002.history}), backup history files ({@code ...FE.00000028.backup}) and
 * partial segments ({@code ...FE.partial}). Segment arithmetic depends on the cluster's
 * wal_segment_size, which is why it is a parameter and never assumed to be 16 MB.
 */
public final class WalFileName {

  private static final Pattern SEGMENT = Pattern.compile("[0-9A-F]{24}");
  private static final Pattern HISTORY = Pattern.compile("[0-9A-F]{8}\\.history");
  private static final Pattern BACKUP_HISTORY = Pattern.compile("[0-9A-F]{24}\\.[0-9A-F]{8}\\.backup");
  private static final Pattern PARTIAL = Pattern.compile("[0-9A-F]{24}\\.partial");

  private WalFileName() {}

  /** True for every name PostgreSQL hands to archive_command or asks of restore_command. */
  public static boolean isArchivable(String name) {
    return SEGMENT.matcher(name).matches()
        || HISTORY.matcher(name).matches()
        || BACKUP_HISTORY.matcher(name).matches()
        || PARTIAL.matcher(name).matches();
  }

  public static boolean isSegment(String name) {
    return SEGMENT.matcher(name).matches();
  }

  public static boolean isHistory(String name) {
    return HISTORY.matcher(name).matches();
  }

  /** The timeline a file belongs to: the first eight hex digits of every archivable name. */
  public static int timelineOf(String name) {
    if (!isArchivable(name)) {
      throw new IllegalArgumentException("not a WAL file name: '" + name + "'");
    }
    return (int) Long.parseLong(name.substring(0, 8), 16);
  }

  public static String timelineDirectory(int timeline) {
    return String.format("%08X", timeline);
  }

  public static String historyFile(int timeline) {
    return timelineDirectory(timeline) + ".history";
  }

  private static long segmentsPerXLogId(long segmentSize) {
    return 0x100000000L / segmentSize;
  }

  /** The segment that holds the byte at {@code lsn} (PostgreSQL's XLByteToSeg). */
  public static long segmentNumber(Lsn lsn, long segmentSize) {
    return Long.divideUnsigned(lsn.value(), segmentSize);
  }

  /**
   * The segment that holds the last byte before {@code lsn} (PostgreSQL's XLByteToPrevSeg), which
   * is the one pg_walfile_name() reports: a backup that ends exactly on a segment boundary needs
   * the segment before it, not the empty one after.
   */
  public static long previousSegmentNumber(Lsn lsn, long segmentSize) {
    return Long.divideUnsigned(lsn.value() - 1, segmentSize);
  }

  public static String segmentName(int timeline, long segmentNumber, long segmentSize) {
    long perId = segmentsPerXLogId(segmentSize);
    return String.format("%08X%08X%08X", timeline, segmentNumber / perId, segmentNumber % perId);
  }

  public static String segmentNameFor(int timeline, Lsn lsn, long segmentSize) {
    return segmentName(timeline, segmentNumber(lsn, segmentSize), segmentSize);
  }

  public static long segmentNumberOf(String segmentName, long segmentSize) {
    if (!isSegment(segmentName)) {
      throw new IllegalArgumentException("not a WAL segment name: '" + segmentName + "'");
    }
    long id = Long.parseLong(segmentName.substring(8, 16), 16);
    long seg = Long.parseLong(segmentName.substring(16, 24), 16);
    return id * segmentsPerXLogId(segmentSize) + seg;
  }

  /** The first LSN of a segment. */
  public static Lsn startOf(long segmentNumber, long segmentSize) {
    return new Lsn(segmentNumber * segmentSize);
  }
}
