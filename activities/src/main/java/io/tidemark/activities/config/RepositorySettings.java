package io.tidemark.activities.config;

/**
 * Where backups and WAL go: exactly one of {@code s3} or {@code local}.
 *
 * @param compression {@code zstd} (default) or {@code none}
 * @param compressionLevel zstd level, 1 (default, fastest) to 19
 */
public record RepositorySettings(S3Settings s3, LocalSettings local, String compression, Integer compressionLevel) {

  public RepositorySettings {
    compression = compression == null ? "zstd" : compression;
    compressionLevel = compressionLevel == null ? 1 : compressionLevel;
  }

  /** The zstd level to use, or 0 for no compression. */
  public int zstdLevel() {
    return "none".equals(compression) ? 0 : compressionLevel;
  }

  public record LocalSettings(String path) {}
}
