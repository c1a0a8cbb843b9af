package io.tidemark.activities.files;

/**
 * How files are grouped into batches, one SendFiles activity each. Batches are sized from the
 * totals so that every parallel slot gets several (which evens out the tail of the copy), no
 * batch is too small to be worth an activity, and none is so large that a retry costs much: a
 * batch closes when it reaches {@code maxBytes} or {@code maxFiles}. A file larger than
 * {@code maxBytes} (relation segments are up to 1 GiB) is a batch of its own.
 */
public record BatchPlan(long maxBytes, int maxFiles) {

  static final long MIB = 1024L * 1024;
  static final long MIN_BYTES = 16 * MIB;
  static final long MAX_BYTES = 4096 * MIB;
  static final int MIN_FILES = 200;
  static final int MAX_FILES = 10_000;
  /** Batches per parallel slot to aim for. */
  static final int ROUNDS = 8;

  public static BatchPlan forTotals(long files, long bytes, int parallelism) {
    long slots = (long) Math.max(1, parallelism) * ROUNDS;
    long maxBytes = Math.min(MAX_BYTES, Math.max(MIN_BYTES, bytes / slots));
    int maxFiles = (int) Math.min(MAX_FILES, Math.max(MIN_FILES, files / slots));
    return new BatchPlan(maxBytes, maxFiles);
  }

  /** Whether a file fills a batch by itself. */
  public boolean isLarge(long fileBytes) {
    return fileBytes >= maxBytes;
  }

  /** Whether a batch already holding {@code files} files of {@code bytes} bytes is full. */
  public boolean isFull(int files, long bytes) {
    return files >= maxFiles || bytes >= maxBytes;
  }
}
