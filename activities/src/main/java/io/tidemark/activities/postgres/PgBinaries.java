package io.tidemark.activities.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a directory of PostgreSQL binaries holds. */
public final class PgBinaries {

  private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\) (\\d+)");

  private PgBinaries() {}

  /** The major version, from {@code postgres --version} (which PostgreSQL answers even as root). */
  public static int major(Path binDirectory) throws IOException, InterruptedException {
    Path postgres = binDirectory.resolve("postgres");
    if (!Files.isExecutable(postgres)) {
      throw new IOException("no PostgreSQL server binary at " + postgres);
    }
    Process p = new ProcessBuilder(postgres.toString(), "--version").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    Matcher m = VERSION.matcher(out);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0 || !m.find()) {
      throw new IOException("cannot tell the PostgreSQL version of " + postgres + ": " + out);
    }
    return Integer.parseInt(m.group(1));
  }
}
