package io.tidemark.activities.wal.spool;

import io.tidemark.workflows.model.WalFileName;
import java.util.Optional;

/**
 * One file in a spool directory, named {@code <wal file>.<size>.<cksum>}: the name says what the
 * file must hold, so a truncated or damaged file is recognised without a second file beside it,
 * and the rename that publishes the file publishes its checksum with it. The checksum is POSIX
 * cksum's ({@link PosixCksum}), in decimal as cksum prints it, so the launcher can check it too.
 */
public record SpoolEntry(String walName, long size, long cksum) {

  public String fileName() {
    return walName + "." + size + "." + cksum;
  }

  /** The entry a file name describes; empty for temporary files, logs and anything else. */
  public static Optional<SpoolEntry> parse(String fileName) {
    int crcDot = fileName.lastIndexOf('.');
    int sizeDot = crcDot <= 0 ? -1 : fileName.lastIndexOf('.', crcDot - 1);
    if (sizeDot <= 0 || fileName.startsWith(".")) {
      return Optional.empty();
    }
    String wal = fileName.substring(0, sizeDot);
    String size = fileName.substring(sizeDot + 1, crcDot);
    String crc = fileName.substring(crcDot + 1);
    if (!WalFileName.isArchivable(wal) || !isNumber(size, 12) || !isNumber(crc, 10)) {
      return Optional.empty();
    }
    long sum = Long.parseLong(crc);
    return sum > 0xffffffffL ? Optional.empty() : Optional.of(new SpoolEntry(wal, Long.parseLong(size), sum));
  }

  private static boolean isNumber(String s, int maxDigits) {
    return !s.isEmpty() && s.length() <= maxDigits && s.chars().allMatch(c -> c >= '0' && c <= '9');
  }
}
