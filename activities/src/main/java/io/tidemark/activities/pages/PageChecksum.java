package io.tidemark.activities.pages;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * PostgreSQL's data page checksum: 32 interleaved FNV-1a-style hashes over the page read as
 * little-endian 32-bit words (with the checksum field itself taken as zero), folded by xor, mixed
 * with the block number, and reduced to 16 bits that are never zero.
 *
 * <p>A {@link Calculator} does the work; it holds the page as an int array so that the 32 lanes
 * can be folded by SIMD instructions where the JVM offers the Vector API (see {@link Lanes}).
 */
public final class PageChecksum {

  public static final int PAGE_SIZE = 8192;
  /** Blocks in a 1 GiB relation segment file. */
  public static final long BLOCKS_PER_SEGMENT = 131_072;

  static final int N_SUMS = 32;
  static final int WORDS = PAGE_SIZE / 4;
  static final int FNV_PRIME = 16777619;
  private static final int CHECKSUM_OFFSET = 8;
  static final int[] BASE_OFFSETS = {
      0x5B1F36E9, 0xB8525960, 0x02AB50AA, 0x1DE66D2A, 0x79FF467A, 0x9BB9F8A3, 0x217E7CD2, 0x83E13D2C,
      0xF8D4474F, 0xE39EB970, 0x42C6AE16, 0x993216FA, 0x7B093B5D, 0x98DAFF3C, 0xF718902A, 0x0B1C9CDB,
      0xE58F764B, 0x187636BC, 0x5D7B3BB1, 0xE73DE7DE, 0x92BEC979, 0xCCA6C0B2, 0x304A0979, 0x85AA43D4,
      0x783125BB, 0x6CA8EAA2, 0xE407EAC6, 0x4B5CFC3E, 0x9FBF8C76, 0x15CA20BE, 0xF2CA9FD3, 0x959BD756};

  private PageChecksum() {}

  static int mix(int sum, int value) {
    int t = sum ^ value;
    return t * FNV_PRIME ^ (t >>> 17);
  }

  /** Computes checksums with a reused page buffer; one per thread. */
  public static final class Calculator {
    private final Lanes lanes;
    private final int[] words = new int[WORDS];
    private final int[] sums = new int[N_SUMS];

    public Calculator() {
      this(Lanes.fastest());
    }

    Calculator(Lanes lanes) {
      this.lanes = lanes;
    }

    /**
     * The checksum the page should carry.
     *
     * @param page 8192 bytes from {@code page.position()}; not modified
     * @param block the block number within the relation (not within the segment file)
     */
    public int compute(ByteBuffer page, long block) {
      page.duplicate().order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(words);
      words[CHECKSUM_OFFSET / 4] &= 0xFFFF0000; // pd_checksum (the low half of this word) counts as zero
      lanes.fold(words, sums);
      int result = 0;
      for (int s : sums) {
        result ^= mix(mix(s, 0), 0);
      }
      result ^= (int) block;
      return Integer.remainderUnsigned(result, 65535) + 1;
    }
  }

  /** The checksum the page should carry; {@link Calculator} for many pages. */
  public static int compute(ByteBuffer page, long block) {
    return new Calculator().compute(page, block);
  }

  /** The checksum stored in the page header. */
  public static int stored(ByteBuffer page) {
    return Short.toUnsignedInt(page.duplicate().order(ByteOrder.LITTLE_ENDIAN).getShort(page.position() + CHECKSUM_OFFSET));
  }

  /** The page's LSN: the WAL position of its last change. */
  public static long lsn(ByteBuffer page) {
    ByteBuffer p = page.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    long high = Integer.toUnsignedLong(p.getInt(p.position()));
    long low = Integer.toUnsignedLong(p.getInt(p.position() + 4));
    return high << 32 | low;
  }

  /** A page never written to: its pd_upper is zero, and it has no checksum yet. */
  public static boolean isNew(ByteBuffer page) {
    return page.duplicate().order(ByteOrder.LITTLE_ENDIAN).getShort(page.position() + 14) == 0;
  }
}
