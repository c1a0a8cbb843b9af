package io.tidemark.activities.repository;

import io.tidemark.activities.config.RepositorySettings;
import java.nio.file.Path;

/** Opens the repository a configuration names. */
public final class Repositories {

  private Repositories() {}

  public static Repository open(RepositorySettings settings) {
    if (settings.s3() != null) {
      return S3Repository.open(settings.s3());
    }
    return new LocalRepository(Path.of(settings.local().path()));
  }
}
