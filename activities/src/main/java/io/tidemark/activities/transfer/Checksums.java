package io.tidemark.activities.transfer;

import java.util.zip.CRC32C;

/** CRC-32C (hardware-accelerated in the JDK), written as 8 lower-case hex digits. */
public final class Checksums {

  /** CRC-32C's polynomial, bit-reversed (the JDK's CRC32C and PostgreSQL's are the reflected form). */
  private static final int POLY = 0x82F63B78;
  /** x^(2^k) modulo the polynomial, for k = 0..31: shifting by n bytes multiplies by x^(8n). */
  private static final int[] X_POW_2K = new int[32];

  static {
    int p = 1 << 30; // x^1
    for (int k = 0; k < 32; k++) {
      X_POW_2K[k] = p;
      p = multiply(p, p);
    }
  }

  private Checksums() {}

  public static String hex(CRC32C crc) {
    return String.format("%08x", crc.getValue());
  }

  /** {@code crc} as 8 lower-case hex digits. */
  public static String hex(int crc) {
    return String.format("%08x", crc);
  }

  /**
   * The CRC-32C of A followed by B, from A's CRC, B's CRC and B's length: pieces of a file checked
   * side by side still give the whole file's checksum. Works in GF(2) polynomials modulo the CRC's
   * (reflected), as zlib's crc32_combine does: A's CRC shifted over B's bits, added to B's.
   */
  public static int combine(int crcA, int crcB, long lengthB) {
    return multiply(xPow8n(lengthB), crcA) ^ crcB;
  }

  /** x^(8n) modulo the polynomial. */
  private static int xPow8n(long n) {
    int p = 1 << 31; // x^0
    int k = 3; // a byte is x^(2^3)
    while (n != 0) {
      if ((n & 1) != 0) {
        p = multiply(X_POW_2K[k & 31], p);
      }
      n >>>= 1;
      k++;
    }
    return p;
  }

  /** a × b modulo the polynomial, both reflected (bit 31 is x^0). */
  private static int multiply(int a, int b) {
    int product = 0;
    for (int m = 1 << 31; m != 0; m >>>= 1) {
      if ((a & m) != 0) {
        product ^= b;
      }
      b = (b & 1) != 0 ? (b >>> 1) ^ POLY : b >>> 1;
    }
    return product;
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
