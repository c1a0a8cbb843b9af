package io.tidemark.activities.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * PostgreSQL refuses to run as root. When Tidemark runs as root, PostgreSQL's programs (initdb,
 * pg_ctl, postgres) run in a user namespace ({@code unshare -U}: an unprivileged user that still
 * owns root's files, so no chown is needed), or, where user namespaces are blocked, as an ordinary
 * user ({@code runuser}; the directories are chowned to it). As any other user they run directly.
 */
public final class Unprivileged {

  public enum Mode { DIRECT, UNSHARE, RUNUSER }

  /** The OS user for runuser mode: TIDEMARK_PG_OS_USER, else postgres. */
  public static final String OS_USER = System.getenv().getOrDefault("TIDEMARK_PG_OS_USER", "postgres");

  private static volatile Mode mode;

  private Unprivileged() {}

  public static Mode mode() {
    Mode m = mode;
    if (m == null) {
      m = detect();
      mode = m;
    }
    return m;
  }

  private static Mode detect() {
    if (!"root".equals(System.getProperty("user.name"))) {
      return Mode.DIRECT;
    }
    try {
      Process p = new ProcessBuilder("unshare", "-U", "id", "-u").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && !out.equals("0")) {
        return Mode.UNSHARE;
      }
    } catch (IOException e) {
      // no unshare on this machine
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Mode.RUNUSER;
  }

  /** The command, prefixed so that it runs unprivileged. */
  public static List<String> command(List<String> command) {
    List<String> full = new ArrayList<>();
    switch (mode()) {
      case UNSHARE:
        full.addAll(List.of("unshare", "-U"));
        break;
      case RUNUSER:
        full.addAll(List.of("runuser", "-u", OS_USER, "--"));
        break;
      default:
        break;
    }
    full.addAll(command);
    return full;
  }

  /** Gives a directory tree to the unprivileged user, where that is needed (runuser mode). */
  public static void own(Path directory) throws IOException, InterruptedException {
    if (mode() != Mode.RUNUSER) {
      return;
    }
    Process p = new ProcessBuilder("chown", "-R", OS_USER + ":", directory.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("chown -R " + OS_USER + " " + directory + " failed: " + out);
    }
  }
}
