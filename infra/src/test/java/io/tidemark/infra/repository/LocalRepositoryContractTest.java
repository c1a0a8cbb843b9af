package io.tidemark.infra.repository;

import io.tidemark.activities.repository.LocalRepository;
import io.tidemark.activities.repository.Repository;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class LocalRepositoryContractTest extends RepositoryContract {

  @TempDir
  static Path dir;

  @Override
  protected Repository repository() {
    return new LocalRepository(dir);
  }
}
