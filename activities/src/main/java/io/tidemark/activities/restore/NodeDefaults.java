package io.tidemark.activities.restore;

import io.temporal.failure.ApplicationFailure;
import io.tidemark.activities.config.NodeSettings;
import io.tidemark.activities.config.TidemarkConfig;
import io.tidemark.workflows.Failures;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a restore takes from the agent's own configuration of the node when the request does not
 * say: binaries and the credentials for watching the restored server.
 */
final class NodeDefaults {

  private final TidemarkConfig config;

  NodeDefaults(TidemarkConfig config) {
    this.config = config;
  }

  Optional<NodeSettings> configured(String cluster, String node) {
    return config.cluster(cluster).flatMap(c -> c.node(node));
  }

  Path binDirectory(String cluster, String node, String requested) {
    if (requested != null) {
      return Path.of(requested);
    }
    return configured(cluster, node).map(NodeSettings::binDirectory).map(Path::of).orElseThrow(() ->
        ApplicationFailure.newNonRetryableFailure("node " + node + " has no binDirectory in this agent's configuration:"
            + " give one in the restore request (nodes[].binDirectory)", Failures.CONFIGURATION));
  }

  String pgCtl(String cluster, String node) {
    return configured(cluster, node).map(NodeSettings::pgCtl).orElse("pg_ctl");
  }

  /** How to connect to the restored server: the node's user and password, on this host. */
  NodeSettings restoredServer(String cluster, String node, int port, String dataDirectory) {
    NodeSettings n = configured(cluster, node).orElse(
        new NodeSettings(node, null, null, null, null, System.getenv("TIDEMARK_PG_PASSWORD"), null, dataDirectory,
            null, null, null));
    return new NodeSettings(n.name(), n.role(), "127.0.0.1", port, n.user(), n.password(), n.database(), dataDirectory,
        n.binDirectory(), n.pgCtl(), n.taskQueue());
  }
}
