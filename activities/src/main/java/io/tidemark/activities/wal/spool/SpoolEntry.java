package io.tidemark.activities.wal.spool;

import io.tidemark.workflows.model.WalFileName;
import java.util.Locale;
import java.util.Optional;

/**
 * One file in a spool directory, named {@code <wal file>.<size>.<crc32c>}: the name says what the
 * file must hold, so a truncated or damaged file is recognised without a second file beside it,
 * and the rename that publishes the file publishes its checksum with it.
 */
public record SpoolEntry(String walName, long size, int crc32c) {

  public String fileName() {
    return walName + "." + size + "." + String.format(Locale.ROOT, "%08x", crc32c);
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
    if (!WalFileName.isArchivable(wal) || crc.length() != 8 || size.isEmpty() || size.length() > 12
        || !size.chars().allMatch(Character::isDigit) || !crc.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      return Optional.empty();
    }
    return Optional.of(new SpoolEntry(wal, Long.parseLong(size), Integer.parseUnsignedInt(crc, 16)));
  }
}
