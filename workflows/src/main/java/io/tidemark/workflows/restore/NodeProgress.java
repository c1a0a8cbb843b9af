package io.tidemark.workflows.restore;

/**
 * What a node's restore tells its cluster restore as it goes (the {@code nodeProgress} signal):
 * at each phase, and about every tenth of its batches.
 *
 * @param attempt which attempt of the node this is; reports of an earlier attempt are ignored
 * @param phase {@code preparing}, {@code fetching}, {@code configuring} or {@code replaying}
 */
public record NodeProgress(String node, int attempt, String phase, int batchesDone, int batches, long files, long bytes) {}
