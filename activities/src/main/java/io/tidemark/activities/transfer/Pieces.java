package io.tidemark.activities.transfer;

import java.util.List;

/**
 * How a large file is stored: as back-to-back frames ("pieces"), each holding {@code size} bytes of
 * the file (the last one the rest), so that a restore can fetch and decode them side by side. One
 * frame of a 1 GiB segment bounds its restore at one core's decoding speed, however many cores wait.
 *
 * @param size bytes of the file in each piece but the last
 * @param lengths stored length of each piece's frame, in file order
 */
public record Pieces(long size, List<Long> lengths) {

  public Pieces {
    lengths = List.copyOf(lengths);
  }

  public int count() {
    return lengths.size();
  }

  /** Where piece {@code i}'s bytes start in the file. */
  public long fileOffset(int i) {
    return i * size;
  }

  /** Bytes of the file in piece {@code i} (none in a last, empty frame of a file that shrank). */
  public long fileBytes(int i, long fileSize) {
    return Math.max(0, Math.min(size, fileSize - fileOffset(i)));
  }

  /** Where piece {@code i}'s frame starts, counted from the file's first frame. */
  public long storedOffset(int i) {
    long offset = 0;
    for (int k = 0; k < i; k++) {
      offset += lengths.get(k);
    }
    return offset;
  }
}
