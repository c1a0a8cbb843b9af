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
}
