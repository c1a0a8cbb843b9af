package io.tidemark.activities.wal.spool;

/**
 * The checksum of POSIX {@code cksum} (CRC-32, polynomial 0x04C11DB7, most significant bit first,
 * the length appended, complemented). Spool entries carry it because the launcher checks a spooled
 * file with coreutils' cksum before serving it without starting a JVM.
 */
public final class PosixCksum {

  private static final int[][] TABLE = new int[4][256];

  static {
    for (int i = 0; i < 256; i++) {
      int c = i << 24;
      for (int k = 0; k < 8; k++) {
        c = (c & 0x80000000) != 0 ? (c << 1) ^ 0x04C11DB7 : c << 1;
      }
      TABLE[0][i] = c;
    }
    for (int i = 0; i < 256; i++) {
      for (int t = 1; t < 4; t++) {
        int prev = TABLE[t - 1][i];
        TABLE[t][i] = (prev << 8) ^ TABLE[0][prev >>> 24];
      }
    }
  }

  private int crc;
  private long length;

  public void update(byte[] b, int off, int len) {
    int c = crc;
    int i = off;
    int end = off + len;
    // four bytes per step (slicing-by-4)
    for (; i + 4 <= end; i += 4) {
      c ^= ((b[i] & 0xff) << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
      c = TABLE[3][c >>> 24] ^ TABLE[2][(c >>> 16) & 0xff] ^ TABLE[1][(c >>> 8) & 0xff] ^ TABLE[0][c & 0xff];
    }
    for (; i < end; i++) {
      c = (c << 8) ^ TABLE[0][((c >>> 24) ^ b[i]) & 0xff];
    }
    crc = c;
    length += len;
  }

  /** The value cksum prints, as an unsigned 32-bit number. */
  public long value() {
    int c = crc;
    for (long n = length; n != 0; n >>>= 8) {
      c = (c << 8) ^ TABLE[0][((c >>> 24) ^ (int) (n & 0xff)) & 0xff];
    }
    return ~c & 0xffffffffL;
  }
}
