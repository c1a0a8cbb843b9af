package io.tidemark.activities.cluster;

import io.tidemark.activities.config.NodeSettings;
import io.tidemark.activities.postgres.PgConnections;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/** One connection per node of a cluster, opened when first needed, all closed together. */
final class NodeConnections implements AutoCloseable {

  private final String cluster;
  private final Map<String, Connection> open = new LinkedHashMap<>();

  NodeConnections(String cluster) {
    this.cluster = cluster;
  }

  Connection to(NodeSettings node) {
    return open.computeIfAbsent(node.name(), n -> PgConnections.open(cluster, node, "tidemark restore point"));
  }

  @Override
  public void close() {
    for (Connection c : open.values()) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // closing: nothing is left to save
      }
    }
  }
}
