package io.tidemark.workers;

import io.tidemark.infra.LocalArtifacts;
import java.nio.file.Path;

/**
 * How to run this very tidemark from a shell command, as archive_command must: the ./tidemark
 * launcher when we were started by it (it sets -Dtidemark.launcher), else java with our jar.
 */
public final class Launcher {

  private Launcher() {}

  /** A shell command prefix, for example {@code '/opt/tidemark/tidemark' --config '/etc/tidemark.yaml'}. */
  public static String command(Path config) {
    String launcher = System.getProperty("tidemark.launcher");
    String base = launcher != null
        ? quote(Path.of(launcher).toAbsolutePath().toString())
        : quote(LocalArtifacts.java()) + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "
            + quote(System.getProperty("java.class.path")) + " " + Main.class.getName();
    return base + " --config " + quote(config.toAbsolutePath().toString());
  }

  /** Single-quoted for sh. */
  public static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
