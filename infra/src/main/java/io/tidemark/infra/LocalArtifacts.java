package io.tidemark.infra;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the programs the local services run: the S3 server jar and the PostgreSQL binaries jars,
 * which the build copies to infra/target/local-artifacts. Looked up from -Dtidemark.artifacts,
 * then $TIDEMARK_HOME, then upwards from this code's own location (a checkout's target directory
 * or the workers jar), then upwards from the working directory.
 */
public final class LocalArtifacts {

  private static final String RELATIVE = "infra/target/local-artifacts";

  private LocalArtifacts() {}

  public static Path directory() {
    String explicit = System.getProperty("tidemark.artifacts");
    if (explicit != null) {
      return Path.of(explicit);
    }
    String home = System.getenv("TIDEMARK_HOME");
    if (home != null && Files.isDirectory(Path.of(home, RELATIVE))) {
      return Path.of(home, RELATIVE);
    }
    for (Path start : new Path[] {codeLocation(), Path.of("").toAbsolutePath()}) {
      for (Path dir = start; dir != null; dir = dir.getParent()) {
        if (Files.isDirectory(dir.resolve(RELATIVE))) {
          return dir.resolve(RELATIVE);
        }
      }
    }
    throw new IllegalStateException("cannot find " + RELATIVE + ": build the project first (mvn -q package -DskipTests),"
        + " or set TIDEMARK_HOME to the checkout");
  }

  public static Path file(String name) {
    Path file = directory().resolve(name);
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("missing " + file + ": build the project first (mvn -q package -DskipTests)");
    }
    return file;
  }

  /** The jar or classes directory this class was loaded from. */
  public static Path codeLocation() {
    try {
      return Path.of(LocalArtifacts.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The java executable of the running JVM. */
  public static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
