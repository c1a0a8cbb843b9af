package io.tidemark.activities.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.activities.validate.BackupValidatorAccess;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The layout pg_verifybackup reads; the end-to-end test runs pg_verifybackup itself. */
class BackupManifestTest {

  static final List<BackupManifest.Entry> FILES = List.of(
      BackupManifest.Entry.crc32c("backup_label", 227, 1_763_721_000_000L, "0a1b2c3d"),
      BackupManifest.Entry.crc32c("base/5/1259", 16384, 1_763_720_000_000L, "12345678"),
      BackupManifest.Entry.crc32c("odd \"name\"\t", 0, 0, "00000000"));

  private static String write(int versionNum) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BackupManifest.write(out, versionNum, "7341234567890123456", FILES.iterator(),
        new BackupManifest.WalRange(1, "0/2000028", "0/2000138"));
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void versionOneBefore17() throws Exception {
    String m = write(160004);
    assertTrue(m.startsWith("{ \"PostgreSQL-Backup-Manifest-Version\": 1,\n\"Files\": [\n{ \"Path\": \"backup_label\", "
        + "\"Size\": 227, \"Last-Modified\": \"2025-11-21 10:30:00 GMT\", \"Checksum-Algorithm\": \"CRC32C\", "
        + "\"Checksum\": \"3d2c1b0a\" },\n"), m);
    assertTrue(m.contains("{ \"Path\": \"odd \\\"name\\\"\\t\", \"Size\": 0,"), m);
    assertTrue(m.contains("\n],\n\"WAL-Ranges\": [\n{ \"Timeline\": 1, \"Start-LSN\": \"0/2000028\", "
        + "\"End-LSN\": \"0/2000138\" }\n],\n\"Manifest-Checksum\": \""), m);
    assertTrue(m.endsWith("\"}\n"));
    assertNull(BackupValidatorAccess.manifestProblem(m.getBytes(StandardCharsets.UTF_8)), "its own checksum holds");
  }

  @Test
  void versionTwoWithTheSystemIdentifierFrom17() throws Exception {
    String m = write(170002);
    assertTrue(m.startsWith("{ \"PostgreSQL-Backup-Manifest-Version\": 2,\n\"System-Identifier\": 7341234567890123456,\n"
        + "\"Files\": [\n"), m);
    assertNull(BackupValidatorAccess.manifestProblem(m.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void crcsAreWrittenInPostgresByteOrderAndTamperingIsCaught() throws Exception {
    assertEquals("78563412", BackupManifest.postgresCrcHex("12345678"));
    byte[] m = write(150004).getBytes(StandardCharsets.UTF_8);
    m[60] ^= 1;
    assertNotNull(BackupValidatorAccess.manifestProblem(m));
  }
}
