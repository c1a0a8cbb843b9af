package io.tidemark.infra.repository;

import io.tidemark.activities.config.S3Settings;
import io.tidemark.activities.repository.Repository;
import io.tidemark.activities.repository.S3Repository;
import io.tidemark.infra.s3.LocalS3;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The contract against a real S3 server (S3Mock) with 5 MiB parts, under a key prefix. */
class S3RepositoryContractTest extends RepositoryContract {

  @TempDir
  static Path dir;
  static LocalS3 s3;
  static S3Repository repo;

  @BeforeAll
  static void startS3() throws Exception {
    s3 = LocalS3.start(dir.resolve("store"), "contract", 0, dir.resolve("s3.log"));
    repo = S3Repository.open(new S3Settings("contract", s3.endpoint(), "us-east-1", "some/prefix", true,
        LocalS3.ACCESS_KEY, LocalS3.SECRET_KEY, 5));
    repo.checkBucket();
  }

  @AfterAll
  static void stopS3() {
    if (repo != null) {
      repo.close();
    }
    if (s3 != null) {
      s3.close();
    }
  }

  /** S3Mock's If-None-Match is check-then-write; AWS S3's is atomic. */
  @Override
  protected boolean atomicConditionalWrites() {
    return false;
  }

  @Override
  protected Repository repository() {
    return repo;
  }
}
