package io.tidemark.workflows.restore;

/**
 * Input of the {@code retryNode} update: restore a failed node again, as it was asked for or
 * somewhere else. Only that node is redone; the others stay as they are.
 *
 * @param node the failed node (required)
 * @param dataDirectory a new target directory (default: the one that failed; a directory this
 *     restore already wrote to is continued, or emptied first if PostgreSQL was started on it)
 * @param port a new port (default: the one before)
 * @param taskQueue a new agent to restore on (default: the one before)
 */
public record RetryNodeRequest(String node, String dataDirectory, Integer port, String taskQueue) {

  public static RetryNodeRequest of(String node) {
    return new RetryNodeRequest(node, null, null, null);
  }
}
