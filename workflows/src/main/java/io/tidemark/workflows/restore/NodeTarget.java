package io.tidemark.workflows.restore;

import io.tidemark.workflows.json.ExternalInput;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where one node of the backup is restored: a directory and port on the host whose agent polls
 * {@code taskQueue}.
 *
 * @param node the node's name in the backup
 * @param dataDirectory absolute path; must be absent or empty
 * @param taskQueue the agent to restore on (default: the node's own queue)
 * @param binDirectory PostgreSQL binaries of the backup's major version (default: the node's configured one)
 * @param settings more postgresql.auto.conf settings for the restored server, for example
 *     {@code {"unix_socket_directories": "/run/pg-restore"}}
 * @param host how the other nodes reach the restored server, for the cluster's afterRestore SQL
 *     (default {@code localhost}); the server listens beyond loopback only if {@code settings}
 *     sets {@code listen_addresses}
 */
@ExternalInput
public record NodeTarget(
    String node, String dataDirectory, Integer port, String taskQueue, String binDirectory, Map<String, String> settings,
    String host) {

  private static final Pattern SETTING = Pattern.compile("[a-z_][a-z0-9_.]*");
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.:-]{0,252}");
  public static final String DEFAULT_HOST = "localhost";

  public NodeTarget {
    settings = settings == null ? Map.of() : Map.copyOf(settings);
  }

  public NodeTarget(String node, String dataDirectory, Integer port, String taskQueue, String binDirectory,
      Map<String, String> settings) {
    this(node, dataDirectory, port, taskQueue, binDirectory, settings, null);
  }

  public static NodeTarget of(String node, String dataDirectory, int port) {
    return new NodeTarget(node, dataDirectory, port, null, null, null, null);
  }

  public NodeTarget withSettings(Map<String, String> more) {
    return new NodeTarget(node, dataDirectory, port, taskQueue, binDirectory, more, host);
  }

  /** This target moved by a retryNode request: what it leaves out stays as it was. */
  NodeTarget movedBy(RetryNodeRequest retry) {
    return new NodeTarget(node, retry.dataDirectory() != null ? retry.dataDirectory() : dataDirectory,
        retry.port() != null ? retry.port() : port, retry.taskQueue() != null ? retry.taskQueue() : taskQueue,
        binDirectory, settings, host);
  }

  /** The host other nodes use to reach it. */
  public String hostOrDefault() {
    return host == null ? DEFAULT_HOST : host;
  }

  void validate(int index) {
    validate("field 'nodes[" + index + "]");
  }

  void validate(String at) {
    if (node == null || node.isBlank()) {
      throw new IllegalArgumentException(at + ".node' is required: the node's name in the backup");
    }
    if (dataDirectory == null || !dataDirectory.startsWith("/")) {
      throw new IllegalArgumentException(at + ".dataDirectory' must be an absolute path (it is '" + dataDirectory + "')");
    }
    if (port == null || port < 1 || port > 65535) {
      throw new IllegalArgumentException(at + ".port' must be a port number, 1 to 65535 (it is " + port + ")");
    }
    if (host != null && !HOST.matcher(host).matches()) {
      throw new IllegalArgumentException(at + ".host' is '" + host + "'; give a host name or an address");
    }
    for (String key : settings.keySet()) {
      if (!SETTING.matcher(key).matches()) {
        throw new IllegalArgumentException(at + ".settings' has '" + key + "', which is not a setting name");
      }
      if (key.startsWith("recovery_target") || key.equals("restore_command") || key.equals("port")) {
        throw new IllegalArgumentException(at + ".settings' may not set '" + key + "': the restore sets it");
      }
    }
  }
}
