package io.tidemark.activities.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The whole configuration file: where Temporal is, where backups go, which clusters exist. */
public record TidemarkConfig(
    TemporalSettings temporal,
    RepositorySettings repository,
    Map<String, ClusterSettings> clusters,
    WorkerSettings worker,
    WalSettings wal) {

  public TidemarkConfig {
    temporal = temporal == null ? TemporalSettings.DEFAULT : temporal;
    clusters = clusters == null ? Map.of() : new LinkedHashMap<>(clusters);
    worker = worker == null ? WorkerSettings.DEFAULT : worker;
    wal = wal == null ? WalSettings.DEFAULT : wal;
  }

  public Optional<ClusterSettings> cluster(String name) {
    return Optional.ofNullable(clusters.get(name));
  }

  /** The cluster, or an error that lists the clusters that do exist. */
  public ClusterSettings requireCluster(String name) {
    return cluster(name).orElseThrow(() -> new ConfigException("unknown cluster '" + name + "'; "
        + (clusters.isEmpty() ? "the configuration defines no clusters" : "configured clusters: " + List.copyOf(clusters.keySet()))));
  }

  public NodeSettings requireNode(String cluster, String node) {
    return requireCluster(cluster).node(node).orElseThrow(() -> new ConfigException(
        "unknown node '" + node + "' in cluster '" + cluster + "'; its nodes: " + requireCluster(cluster).nodeNames()));
  }
}
