package io.tidemark.activities.manifest;

import io.tidemark.activities.postgres.PgVersions;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Iterator;

/**
 * Writes a backup_manifest in PostgreSQL's own format, so that pg_verifybackup checks a Tidemark
 * backup as it checks pg_basebackup's: version 1 (PostgreSQL 13 to 16) or 2 with the system
 * identifier (17 on), one line per file with its size, time and CRC-32C, the WAL range, and a
 * SHA-256 of all of it. Streams: the file list is never held in memory.
 */
public final class BackupManifest {

  /**
   * One file of the backup.
   *
   * @param algorithm CRC32C or SHA256
   * @param checksum as Tidemark keeps it: the CRC-32C value's hex, or the SHA-256's
   */
  public record Entry(String path, long size, long mtimeMillis, String algorithm, String checksum) {

    public static Entry crc32c(String path, long size, long mtimeMillis, String crc32c) {
      return new Entry(path, size, mtimeMillis, "CRC32C", crc32c);
    }
  }

  /** The WAL a restore of the backup needs. */
  public record WalRange(int timeline, String startLsn, String endLsn) {}

  private static final DateTimeFormatter MODIFIED =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'GMT'").withZone(ZoneOffset.UTC);

  private final OutputStream out;
  private final MessageDigest sha256;

  private BackupManifest(OutputStream out) {
    this.out = out;
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static void write(OutputStream out, int versionNum, String systemIdentifier, Iterator<Entry> files,
      WalRange wal) throws IOException {
    new BackupManifest(out).writeAll(versionNum, systemIdentifier, files, wal);
  }

  private void writeAll(int versionNum, String systemIdentifier, Iterator<Entry> files, WalRange wal) throws IOException {
    if (PgVersions.major(versionNum) >= 17) {
      append("{ \"PostgreSQL-Backup-Manifest-Version\": 2,\n\"System-Identifier\": " + systemIdentifier + ",\n\"Files\": [");
    } else {
      append("{ \"PostgreSQL-Backup-Manifest-Version\": 1,\n\"Files\": [");
    }
    boolean first = true;
    while (files.hasNext()) {
      Entry f = files.next();
      append((first ? "\n" : ",\n") + "{ \"Path\": " + jsonString(f.path()) + ", \"Size\": " + f.size()
          + ", \"Last-Modified\": \"" + MODIFIED.format(Instant.ofEpochMilli(f.mtimeMillis()))
          + "\", \"Checksum-Algorithm\": \"" + f.algorithm() + "\", \"Checksum\": \""
          + (f.algorithm().equals("CRC32C") ? postgresCrcHex(f.checksum()) : f.checksum()) + "\" }");
      first = false;
    }
    append("\n],\n\"WAL-Ranges\": [\n{ \"Timeline\": " + wal.timeline() + ", \"Start-LSN\": \"" + wal.startLsn()
        + "\", \"End-LSN\": \"" + wal.endLsn() + "\" }\n],\n");
    String checksum = HexFormat.of().formatHex(sha256.digest());
    out.write(("\"Manifest-Checksum\": \"" + checksum + "\"}\n").getBytes(StandardCharsets.UTF_8));
  }

  /** Everything before the Manifest-Checksum key is covered by it. */
  private void append(String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    sha256.update(bytes);
    out.write(bytes);
  }

  /**
   * PostgreSQL writes a CRC-32C as the hex of its four bytes in memory, least significant first;
   * Tidemark's lists hold the usual big-endian hex of the value.
   */
  static String postgresCrcHex(String crc32c) {
    return String.format("%08x", Integer.reverseBytes(Integer.parseUnsignedInt(crc32c, 16)));
  }

  /** A JSON string as PostgreSQL's escape_json writes it. */
  static String jsonString(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\b' -> b.append("\\b");
        case '\f' -> b.append("\\f");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
