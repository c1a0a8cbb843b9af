package io.tidemark.workers.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, exactly as a newcomer runs it. */
class QuickstartIT {

  @TempDir
  Path dir;

  @Test
  void theQuickstartBacksUpTheDemoClusterAndShowsIt() throws Exception {
    Path launcher = Services.checkout().resolve("tidemark");
    Process p = new ProcessBuilder(List.of(launcher.toString(), "quickstart", "--dir", dir.toString()))
        .directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), output);
    assertEquals(0, p.exitValue(), output);
    assertTrue(output.contains("completed in"), output);
    assertTrue(output.matches("(?s).*\\d{8}-\\d{6}F\\s+completed\\s+0/\\w+\\s+0/\\w+.*"), "the show table lists it:\n" + output);
    assertTrue(Files.exists(dir.resolve("tidemark.yaml")));
    assertTrue(output.contains("Everything ran on 127.0.0.1 and has stopped"));
  }
}
