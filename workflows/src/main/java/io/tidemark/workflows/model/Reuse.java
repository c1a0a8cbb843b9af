package io.tidemark.workflows.model;

/**
 * What a batch did not have to send again after a crash.
 *
 * @param reusedFiles files an earlier, lost session stored whose bytes proved unchanged
 * @param reusedBytes their size
 * @param resentBytes bytes read into a pack that was never committed, as of the last heartbeat:
 *     sent twice. In a batch's result, what its earlier attempt had read; in a node's record and
 *     progress, also what the batches in flight of lost sessions had read (CountOpenPacks)
 */
public record Reuse(long reusedFiles, long reusedBytes, long resentBytes) {
  public static final Reuse NONE = new Reuse(0, 0, 0);

  public Reuse plus(Reuse other) {
    return other == null ? this
        : new Reuse(reusedFiles + other.reusedFiles, reusedBytes + other.reusedBytes, resentBytes + other.resentBytes);
  }
}
