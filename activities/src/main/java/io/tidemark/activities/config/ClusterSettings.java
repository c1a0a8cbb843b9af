package io.tidemark.activities.config;

import java.util.List;
import java.util.Optional;

/**
 * @param flavor {@code postgres} (default), {@code citus} or {@code greenplum}: how a
 *     cluster-wide restore point is made
 */
public record ClusterSettings(String flavor, List<NodeSettings> nodes) {

  public ClusterSettings {
    flavor = flavor == null ? "postgres" : flavor;
    nodes = nodes == null ? List.of() : List.copyOf(nodes);
  }

  public Optional<NodeSettings> node(String name) {
    return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
  }

  public List<String> nodeNames() {
    return nodes.stream().map(NodeSettings::name).toList();
  }
}
