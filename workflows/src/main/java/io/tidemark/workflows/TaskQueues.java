package io.tidemark.workflows;

/**
 * Where work is routed. Workflows and repository-only activities share one queue; activities that
 * need a node's files or binaries go to that node's queue, polled by the agent on its host; the
 * backup session's activities go to the queue of the one process that holds the connection.
 */
public final class TaskQueues {

  public static final String SHARED = "tidemark";
  public static final String NODE_PREFIX = "tidemark-node-";
  public static final String SESSION_PREFIX = "tidemark-session-";

  private TaskQueues() {}

  /** The default queue of a node, used when its configuration names none. */
  public static String node(String nodeName) {
    return NODE_PREFIX + nodeName;
  }
}
