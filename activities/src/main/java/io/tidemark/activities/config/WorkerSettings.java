package io.tidemark.activities.config;

/**
 * @param sessionMaxAgeHours a backup session nobody stopped is closed after this long, so a
 *     terminated workflow never leaves a server in backup mode
 * @param metricsPort Prometheus endpoint port of a worker (0: off)
 */
public record WorkerSettings(Integer sessionMaxAgeHours, Integer metricsPort) {

  public static final WorkerSettings DEFAULT = new WorkerSettings(null, null);

  public WorkerSettings {
    sessionMaxAgeHours = sessionMaxAgeHours == null ? 24 : sessionMaxAgeHours;
    metricsPort = metricsPort == null ? 0 : metricsPort;
  }
}
