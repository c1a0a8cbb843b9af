package io.tidemark.activities.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * @param flavor {@code postgres} (default), {@code citus} or {@code greenplum}: how a
 *     cluster-wide restore point is made
 * @param nodes the servers; one is the coordinator (the one whose role says so, else the first)
 * @param restorePointBarrier statements run on the coordinator, in the transaction that makes a
 *     postgres-flavor restore point, before it is made: they hold back distributed commits until
 *     it is made on every node (for example {@code LOCK TABLE app.commit_log IN EXCLUSIVE MODE}).
 *     Citus and Greenplum hold back their own commits.
 * @param afterRestore statements run on the restored coordinator once every node is restored and
 *     promoted, with placeholders such as {@code ${seg1.port}} filled in (see AfterRestoreSql)
 * @param retention how long backups are kept (by default forever)
 */
public record ClusterSettings(String flavor, List<NodeSettings> nodes, List<String> restorePointBarrier,
    List<String> afterRestore, RetentionSettings retention) {

  public static final String COORDINATOR = "coordinator";
  public static final String SEGMENT = "segment";

  public ClusterSettings {
    flavor = flavor == null ? "postgres" : flavor;
    nodes = withRoles(nodes == null ? List.of() : nodes);
    restorePointBarrier = restorePointBarrier == null ? List.of() : List.copyOf(restorePointBarrier);
    afterRestore = afterRestore == null ? List.of() : List.copyOf(afterRestore);
    retention = retention == null ? RetentionSettings.NONE : retention;
  }

  public ClusterSettings(String flavor, List<NodeSettings> nodes) {
    this(flavor, nodes, null, null, null);
  }

  public ClusterSettings withNodes(List<NodeSettings> replaced) {
    return new ClusterSettings(flavor, replaced, restorePointBarrier, afterRestore, retention);
  }

  /** Nodes without a role: the first is the coordinator unless another says it is; the rest are segments. */
  private static List<NodeSettings> withRoles(List<NodeSettings> nodes) {
    boolean named = nodes.stream().anyMatch(n -> COORDINATOR.equals(n.role()));
    List<NodeSettings> out = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      NodeSettings n = nodes.get(i);
      out.add(n.role() != null ? n : n.withRole(i == 0 && !named ? COORDINATOR : SEGMENT));
    }
    return List.copyOf(out);
  }

  public Optional<NodeSettings> node(String name) {
    return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
  }

  public List<String> nodeNames() {
    return nodes.stream().map(NodeSettings::name).toList();
  }

  public NodeSettings coordinator() {
    return nodes.stream().filter(n -> COORDINATOR.equals(n.role())).findFirst().orElseThrow();
  }
}
