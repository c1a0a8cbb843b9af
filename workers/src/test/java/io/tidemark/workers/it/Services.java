package io.tidemark.workers.it;

import io.tidemark.infra.LocalArtifacts;
import io.tidemark.infra.s3.LocalS3;
import io.tidemark.infra.temporal.LocalTemporal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real services every end-to-end test uses, one of each per test JVM: a Temporal server and
 * an S3 server on loopback. Tests keep apart by using their own Temporal namespace and repository
 * prefix. Stopped when the JVM exits.
 */
final class Services {

  static final String BUCKET = "tidemark-it";
  private static Services instance;

  final LocalTemporal temporal;
  final LocalS3 s3;
  final Path directory;

  private Services(LocalTemporal temporal, LocalS3 s3, Path directory) {
    this.temporal = temporal;
    this.s3 = s3;
    this.directory = directory;
  }

  static synchronized Services get() throws IOException {
    if (instance == null) {
      Path dir = Files.createTempDirectory("tidemark-it-");
      LocalTemporal temporal = LocalTemporal.start(0);
      LocalS3 s3 = LocalS3.start(dir.resolve("s3"), BUCKET, 0, dir.resolve("s3.log"));
      instance = new Services(temporal, s3, dir);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        s3.close();
        temporal.close();
      }));
    }
    return instance;
  }

  /** The checkout's root, where the ./tidemark launcher is: above infra/target/local-artifacts. */
  static Path checkout() {
    return LocalArtifacts.directory().getParent().getParent().getParent();
  }
}
