package io.tidemark.infra.postgres;

import io.tidemark.activities.postgres.Unprivileged;
import io.tidemark.infra.FreePorts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL cluster initdb'ed for the quickstart or a test: its own short directory in /tmp
 * (data, socket directory, server log), a free port on 127.0.0.1, data checksums on, WAL level
 * replica and, if asked, archiving through an archive_command. When this JVM runs as root the
 * server runs unprivileged ({@link Unprivileged}). Every instance still running when the JVM exits
 * is stopped.
 */
public final class LocalPostgres implements AutoCloseable {

  /**
   * @param password null for trust authentication; otherwise TCP connections need this password
   * @param archiveCommand null for archive_mode = off
   * @param settings more postgresql.conf lines
   */
  public record Options(String password, String archiveCommand, boolean dataChecksums, List<String> settings) {
    public static Options defaults() {
      return new Options(null, null, true, List.of());
    }

    public Options withArchiveCommand(String command) {
      return new Options(password, command, dataChecksums, settings);
    }

    public Options withPassword(String newPassword) {
      return new Options(newPassword, archiveCommand, dataChecksums, settings);
    }

    public Options withSettings(List<String> more) {
      List<String> all = new ArrayList<>(settings);
      all.addAll(more);
      return new Options(password, archiveCommand, dataChecksums, all);
    }
  }

  private static final Set<LocalPostgres> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(LocalPostgres::stopQuietly)));
  }

  private final Path base;
  private final Path binDirectory;
  private final int major;
  private final Options options;
  private int port;

  private LocalPostgres(Path base, Path binDirectory, int major, Options options) {
    this.base = base;
    this.binDirectory = binDirectory;
    this.major = major;
    this.options = options;
  }

  /** initdb's a new cluster with the bundled binaries of a major version and starts it. */
  public static LocalPostgres start(int major, Options options) throws IOException, InterruptedException {
    return start(PostgresBinaries.bundled(major), major, options);
  }

  public static LocalPostgres start(Path binDirectory, int major, Options options) throws IOException, InterruptedException {
    Path base = Files.createTempDirectory(Path.of("/tmp"), "tdm-pg-");
    base.toFile().setReadable(true, false);
    base.toFile().setExecutable(true, false);
    LocalPostgres pg = new LocalPostgres(base, binDirectory, major, options);
    pg.initdb();
    pg.startWithFreePort();
    return pg;
  }

  public int port() {
    return port;
  }

  public int major() {
    return major;
  }

  public Path dataDirectory() {
    return base.resolve("data");
  }

  public Path binDirectory() {
    return binDirectory;
  }

  public Path base() {
    return base;
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  public Connection connect() throws SQLException {
    return connect("postgres");
  }

  public Connection connect(String database) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", "postgres");
    if (options.password() != null) {
      props.setProperty("password", options.password());
    }
    return DriverManager.getConnection(jdbcUrl(database), props);
  }

  private void initdb() throws IOException, InterruptedException {
    Path data = dataDirectory();
    Files.createDirectory(data, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Files.createDirectory(base.resolve("s"));
    List<String> cmd = new ArrayList<>(List.of(binDirectory.resolve("initdb").toString(), "-D", data.toString(),
        "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"));
    if (options.dataChecksums()) {
      cmd.add("--data-checksums");
    } else if (major >= 18) {
      cmd.add("--no-data-checksums");
    }
    if (options.password() != null) {
      Path pwfile = base.resolve("pwfile");
      Files.writeString(pwfile, options.password() + "\n");
      cmd.addAll(List.of("--auth-local=trust", "--auth-host=scram-sha-256", "--pwfile=" + pwfile));
    } else {
      cmd.addAll(List.of("-A", "trust"));
    }
    Unprivileged.own(base);
    run(cmd);
    Files.deleteIfExists(base.resolve("pwfile"));
  }

  private void startWithFreePort() throws IOException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      port = FreePorts.loopback();
      writeSettings();
      try {
        pgCtl("start");
        RUNNING.add(this);
        return;
      } catch (IOException e) {
        if (attempt >= 3 || !serverLog().contains("Address already in use")) {
          throw e;
        }
      }
    }
  }

  /** (Re)writes the settings Tidemark's harness owns, at the end of postgresql.conf. */
  private void writeSettings() throws IOException {
    Path conf = dataDirectory().resolve("postgresql.conf");
    String text = Files.readString(conf);
    int mark = text.indexOf(MARK);
    if (mark >= 0) {
      text = text.substring(0, mark);
    }
    StringBuilder s = new StringBuilder(text).append(MARK).append('\n');
    s.append("port = ").append(port).append('\n');
    s.append("listen_addresses = '127.0.0.1'\n");
    s.append("unix_socket_directories = '").append(base.resolve("s")).append("'\n");
    s.append("fsync = off\n");
    s.append("shared_buffers = 32MB\n");
    s.append("max_connections = 40\n");
    s.append("wal_level = replica\n");
    s.append("log_line_prefix = '%m [%p] '\n");
    if (options.archiveCommand() != null) {
      s.append("archive_mode = on\n");
      s.append("archive_command = '").append(options.archiveCommand().replace("'", "''")).append("'\n");
    } else {
      s.append("archive_mode = off\n");
    }
    for (String line : options.settings()) {
      s.append(line).append('\n');
    }
    Files.writeString(conf, s.toString());
  }

  private static final String MARK = "# --- settings of the Tidemark harness ---";

  public void stop() throws IOException, InterruptedException {
    if (RUNNING.remove(this)) {
      pgCtl("stop", "-m", "fast");
    }
  }

  /** Stops the server at once, without a checkpoint, as a crash would leave it. */
  public void crash() throws IOException, InterruptedException {
    if (RUNNING.remove(this)) {
      pgCtl("stop", "-m", "immediate");
    }
  }

  public void restart() throws IOException, InterruptedException {
    stop();
    pgCtl("start");
    RUNNING.add(this);
  }

  private void pgCtl(String action, String... more) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(binDirectory.resolve("pg_ctl").toString(), "-D",
        dataDirectory().toString(), "-l", base.resolve("server.log").toString(), "-w", "-t", "120", action));
    cmd.addAll(List.of(more));
    run(cmd);
  }

  private void run(List<String> command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(Unprivileged.command(command)).redirectErrorStream(true).directory(base.toFile());
    pb.environment().put("LC_ALL", "C");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(180, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed:\n" + out + "\nserver log:\n" + tail(serverLog(), 30));
    }
  }

  public String serverLog() {
    try {
      return Files.readString(base.resolve("server.log"));
    } catch (IOException e) {
      return "";
    }
  }

  private static String tail(String text, int lines) {
    List<String> all = text.lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  private static void stopQuietly(LocalPostgres pg) {
    try {
      pg.stop();
    } catch (IOException | InterruptedException ignored) {
      // the JVM is exiting
    }
  }

  /** Stops the server and deletes its directory. */
  @Override
  public void close() throws IOException, InterruptedException {
    stop();
    try (var paths = Files.walk(base)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
