package io.tidemark.activities.config;

import io.tidemark.workflows.TaskQueues;

/**
 * One PostgreSQL server of a cluster, and where its agent listens for work.
 *
 * @param role {@code coordinator} or {@code segment} (default: the first node of a cluster is its
 *     coordinator); the coordinator's agent makes the cluster restore point
 * @param contentId Greenplum only: the segment's content id (-1 for the coordinator), by which
 *     Greenplum's restore point functions name it
 * @param password better set in TIDEMARK_PG_PASSWORD_&lt;CLUSTER&gt;_&lt;NODE&gt; or
 *     TIDEMARK_PG_PASSWORD than here
 * @param binDirectory where pg_ctl and postgres are, for restores (LightDB names them lt_ctl:
 *     configure {@code pgCtl})
 * @param taskQueue the queue this node's agent polls (default tidemark-node-&lt;name&gt;)
 */
public record NodeSettings(
    String name,
    String role,
    String host,
    Integer port,
    String user,
    String password,
    String database,
    String dataDirectory,
    String binDirectory,
    String pgCtl,
    String taskQueue,
    Integer contentId) {

  public NodeSettings {
    host = host == null ? "127.0.0.1" : host;
    port = port == null ? 5432 : port;
    user = user == null ? "postgres" : user;
    database = database == null ? "postgres" : database;
    pgCtl = pgCtl == null ? "pg_ctl" : pgCtl;
    taskQueue = taskQueue == null && name != null ? TaskQueues.node(name) : taskQueue;
  }

  public NodeSettings(String name, String role, String host, Integer port, String user, String password,
      String database, String dataDirectory, String binDirectory, String pgCtl, String taskQueue) {
    this(name, role, host, port, user, password, database, dataDirectory, binDirectory, pgCtl, taskQueue, null);
  }

  public NodeSettings withPassword(String newPassword) {
    return new NodeSettings(name, role, host, port, user, newPassword, database, dataDirectory, binDirectory, pgCtl,
        taskQueue, contentId);
  }

  public NodeSettings withRole(String newRole) {
    return new NodeSettings(name, newRole, host, port, user, password, database, dataDirectory, binDirectory, pgCtl,
        taskQueue, contentId);
  }

  public String address() {
    return host + ":" + port;
  }

  /** Never prints the password. */
  @Override
  public String toString() {
    return "NodeSettings[name=" + name + ", role=" + role + ", host=" + host + ", port=" + port + ", user=" + user
        + ", password=" + (password == null ? "(none)" : "(set)") + ", database=" + database
        + ", dataDirectory=" + dataDirectory + ", binDirectory=" + binDirectory + ", taskQueue=" + taskQueue
        + (contentId == null ? "" : ", contentId=" + contentId) + "]";
  }
}
