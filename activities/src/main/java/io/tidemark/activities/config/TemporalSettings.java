package io.tidemark.activities.config;

/**
 * @param address host:port of the Temporal frontend
 * @param disableStickyExecution turn off sticky workflow caching; only for crash tests against the
 *     SDK's test server, which never reroutes a dead worker's sticky tasks
 * @param searchAttributes tag backups and restores with the keyword search attributes
 *     {@code TidemarkCluster} and {@code TidemarkBackupId}; they must exist on the server first
 *     ({@code temporal operator search-attribute create}), so this is off by default
 */
public record TemporalSettings(String address, String namespace, Boolean disableStickyExecution,
    Boolean searchAttributes) {

  public static final TemporalSettings DEFAULT = new TemporalSettings(null, null, null, null);

  public TemporalSettings {
    address = address == null ? "127.0.0.1:7233" : address;
    namespace = namespace == null ? "default" : namespace;
    disableStickyExecution = disableStickyExecution != null && disableStickyExecution;
    searchAttributes = searchAttributes != null && searchAttributes;
  }
}
