package io.tidemark.workflows.restore;

import io.tidemark.workflows.json.ExternalInput;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Input of the {@code ClusterRestore} workflow.
 *
 * @param cluster the cluster whose backup is restored (required)
 * @param backup a backup id, or {@code latest} (default): the newest completed backup
 * @param target where recovery stops (default: the backup's cluster restore point, the one moment
 *     every node's backup reaches; for backups made before restore points, the backup's end)
 * @param inclusive stop just after the target (default true) or just before it
 * @param timeline {@code latest} (default), {@code current} or a timeline number
 * @param action what the server does at the target: {@code pause} (default, as PostgreSQL),
 *     {@code promote} or {@code shutdown}
 * @param archive {@code preserve} (default) keeps the backup's archive settings, {@code off} turns
 *     archiving off so a copy restored beside its source never archives into the source's archive
 * @param parallelism batches fetched at once per node (default 4)
 * @param nodes where each node is restored (required, every node of the backup)
 * @param start start PostgreSQL and replay WAL to the target (default true); false leaves the
 *     restored files and recovery settings in place, for pg_verifybackup or a later start by hand
 */
@ExternalInput
public record RestoreRequest(
    String cluster,
    String backup,
    RecoveryTarget target,
    Boolean inclusive,
    String timeline,
    String action,
    String archive,
    Integer parallelism,
    List<NodeTarget> nodes,
    Boolean start) {

  public static final List<String> ACTIONS = List.of("pause", "promote", "shutdown");

  /** A restore that starts the server (the usual case). */
  public RestoreRequest(String cluster, String backup, RecoveryTarget target, Boolean inclusive, String timeline,
      String action, String archive, Integer parallelism, List<NodeTarget> nodes) {
    this(cluster, backup, target, inclusive, timeline, action, archive, parallelism, nodes, null);
  }
  public static final List<String> ARCHIVE = List.of("preserve", "off");

  /** The request with defaults filled in; the message of the exception names the field at fault. */
  public RestoreRequest validated() {
    if (cluster == null || cluster.isBlank()) {
      throw new IllegalArgumentException("field 'cluster' is required");
    }
    String b = backup == null || backup.isBlank() ? "latest" : backup;
    if (target != null) {
      target.validate();
    }
    String tl = timeline == null ? "latest" : timeline;
    if (!tl.equals("latest") && !tl.equals("current") && !tl.matches("\\d{1,9}")) {
      throw new IllegalArgumentException("field 'timeline' is '" + timeline + "'; valid: latest, current or a timeline number");
    }
    String a = action == null ? "pause" : action;
    if (!ACTIONS.contains(a)) {
      throw new IllegalArgumentException("field 'action' is '" + action + "'; valid values: " + ACTIONS);
    }
    String ar = archive == null ? "preserve" : archive;
    if (!ARCHIVE.contains(ar)) {
      throw new IllegalArgumentException("field 'archive' is '" + archive + "'; valid values: " + ARCHIVE);
    }
    int p = parallelism == null ? 4 : parallelism;
    if (p < 1 || p > 64) {
      throw new IllegalArgumentException("field 'parallelism' is " + parallelism + "; valid values: 1 to 64");
    }
    if (nodes == null || nodes.isEmpty()) {
      throw new IllegalArgumentException("field 'nodes' is required: where each node is restored, for example"
          + " [{\"node\": \"pg1\", \"dataDirectory\": \"/var/lib/postgresql/restore\", \"port\": 5433}]");
    }
    Set<String> seen = new HashSet<>();
    Set<String> directories = new HashSet<>();
    for (int i = 0; i < nodes.size(); i++) {
      NodeTarget n = nodes.get(i);
      if (n == null) {
        throw new IllegalArgumentException("field 'nodes[" + i + "]' is empty");
      }
      n.validate(i);
      if (!seen.add(n.node())) {
        throw new IllegalArgumentException("field 'nodes' names node '" + n.node() + "' twice");
      }
      if (!directories.add(n.dataDirectory() + "@" + n.taskQueue())) {
        throw new IllegalArgumentException("field 'nodes' restores two nodes into " + n.dataDirectory());
      }
    }
    return new RestoreRequest(cluster, b, target, inclusive == null || inclusive, tl, a, ar, p, List.copyOf(nodes),
        start == null || start);
  }
}
