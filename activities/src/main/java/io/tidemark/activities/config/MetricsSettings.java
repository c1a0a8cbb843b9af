package io.tidemark.activities.config;

/**
 * The Prometheus endpoint of a worker process.
 *
 * @param enabled false: no endpoint at all
 * @param listen HOST:PORT, or a bare PORT on 127.0.0.1 (loopback unless an address is named); port
 *     0 takes any free port, which the worker prints
 */
public record MetricsSettings(Boolean enabled, String listen) {

  public static final String DEFAULT_LISTEN = "127.0.0.1:9464";
  public static final MetricsSettings DEFAULT = new MetricsSettings(null, null);

  public MetricsSettings {
    enabled = enabled == null || enabled;
    listen = listen == null ? DEFAULT_LISTEN : listen;
  }

  /** Where to listen; only meaningful when enabled. */
  public ListenAddress address() {
    return ListenAddress.parse(listen);
  }
}
