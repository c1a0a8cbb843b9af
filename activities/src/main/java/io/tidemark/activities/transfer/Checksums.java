package io.tidemark.activities.transfer;

import java.util.zip.CRC32C;

/** CRC-32C (hardware-accelerated in the JDK), written as 8 lower-case hex digits. */
public final class Checksums {

  private Checksums() {}

  public static String hex(CRC32C crc) {
    return String.format("%08x", crc.getValue());
  }

  public static String crc32c(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    return hex(crc);
  }

  public static String sha256(byte[] bytes) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
