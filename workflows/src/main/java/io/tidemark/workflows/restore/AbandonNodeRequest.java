package io.tidemark.workflows.restore;

/**
 * Input of the {@code abandonNode} update: give up on a failed node. When every other node has
 * ended, the cluster restore fails, naming the nodes given up on.
 *
 * @param node the failed node (required)
 * @param reason recorded with the node, for whoever reads the history
 */
public record AbandonNodeRequest(String node, String reason) {}
