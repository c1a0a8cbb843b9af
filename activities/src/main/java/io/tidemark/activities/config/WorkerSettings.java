package io.tidemark.activities.config;

/**
 * @param sessionMaxAgeHours a backup session nobody stopped is closed after this long, so a
 *     terminated workflow never leaves a server in backup mode
 * @param metrics the Prometheus endpoint of {@code tidemark worker}
 */
public record WorkerSettings(Integer sessionMaxAgeHours, MetricsSettings metrics) {

  public static final WorkerSettings DEFAULT = new WorkerSettings(null, null);

  public WorkerSettings {
    sessionMaxAgeHours = sessionMaxAgeHours == null ? 24 : sessionMaxAgeHours;
    metrics = metrics == null ? MetricsSettings.DEFAULT : metrics;
  }
}
