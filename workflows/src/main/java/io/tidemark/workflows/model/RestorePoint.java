package io.tidemark.workflows.model;

import java.util.List;
import java.util.Optional;

/**
 * The cluster-wide restore point of a backup: one name written into every node's WAL after every
 * node had stopped its backup, while distributed commits were held back, so restoring every node
 * to it gives one consistent cluster.
 *
 * @param name the restore point's name, for {@code recovery_target_name}
 * @param flavor how it was made: {@code postgres}, {@code citus} or {@code greenplum}
 * @param createdAt the coordinator's clock when it was made
 * @param nodes per node, where it lies in that node's WAL and the WAL file that holds it
 */
public record RestorePoint(String name, String flavor, String createdAt, List<Node> nodes) {

  /**
   * @param lsn the restore point record's location (for citus and greenplum segments whose own
   *     location the flavor does not return: a location at or after it)
   * @param walFile the WAL segment a restore must reach; archived before the backup is committed
   */
  public record Node(String node, String lsn, int timeline, String walFile) {}

  public Optional<Node> node(String name) {
    return nodes.stream().filter(n -> n.node().equals(name)).findFirst();
  }
}
