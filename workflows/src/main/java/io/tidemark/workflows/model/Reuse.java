package io.tidemark.workflows.model;

/**
 * What a batch did not have to send again after a crash.
 *
 * @param reusedFiles files an earlier, lost session stored whose bytes proved unchanged
 * @param reusedBytes their size
 * @param resentBytes bytes an earlier attempt of this batch had read into a pack it never
 *     committed (as of its last heartbeat): sent twice
 */
public record Reuse(long reusedFiles, long reusedBytes, long resentBytes) {
  public static final Reuse NONE = new Reuse(0, 0, 0);

  public Reuse plus(Reuse other) {
    return other == null ? this
        : new Reuse(reusedFiles + other.reusedFiles, reusedBytes + other.reusedBytes, resentBytes + other.resentBytes);
  }
}
