package io.tidemark.infra.s3;

import io.tidemark.infra.ChildProcess;
import io.tidemark.infra.LocalArtifacts;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real S3 server on this machine (Adobe's S3Mock, as a child process) for the quickstart and the
 * tests. S3Mock's plain-HTTP connector binds every interface and cannot be told otherwise, so it
 * runs in a network namespace of its own (unshare: a user, network and PID namespace), reachable
 * only through a Unix socket bridged to 127.0.0.1. Where user namespaces are not allowed it runs
 * directly, with a warning.
 */
public final class LocalS3 implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LocalS3.class);
  public static final String ACCESS_KEY = "tidemark-local";
  public static final String SECRET_KEY = "tidemark-local-secret";

  private final ChildProcess process;
  private final SocketBridge bridge;
  private final Path socket;
  private final int port;
  private final String bucket;

  private LocalS3(ChildProcess process, SocketBridge bridge, Path socket, int port, String bucket) {
    this.process = process;
    this.bridge = bridge;
    this.socket = socket;
    this.port = port;
    this.bucket = bucket;
  }

  /**
   * @param storeRoot where the objects live (kept after the server stops)
   * @param port loopback port to serve on, 0 for any free one
   */
  public static LocalS3 start(Path storeRoot, String bucket, int port, Path logFile) throws IOException {
    Files.createDirectories(storeRoot);
    Path jar = LocalArtifacts.file("s3mock.jar");
    if (namespacesWork()) {
      Path socket = Path.of("/tmp", "tdm-s3-" + UUID.randomUUID().toString().substring(0, 8) + ".sock");
      List<String> command = new ArrayList<>(List.of("unshare", "-Urnpf", "--kill-child",
          "sh", "-c", "ip link set lo up && exec \"$0\" \"$@\"",
          // -XX:-UsePerfData: in a PID namespace every JVM is pid 1 or 2, and /tmp/hsperfdata is shared
          LocalArtifacts.java(), "-Xmx64m", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-cp", LocalArtifacts.codeLocation().toString(),
          S3MockLauncher.class.getName(), jar.toString(), storeRoot.toAbsolutePath().toString(), socket.toString(), bucket));
      ChildProcess process = ChildProcess.start("S3 server", command, logFile);
      SocketBridge bridge = SocketBridge.loopbackToUnix(port, socket);
      LocalS3 s3 = new LocalS3(process, bridge, socket, bridge.port(), bucket);
      s3.awaitReady();
      return s3;
    }
    log.warn("user namespaces are not available: the local S3 server runs unconfined and its HTTP port listens on every interface");
    int chosen = port == 0 ? io.tidemark.infra.FreePorts.loopback() : port;
    ChildProcess process = ChildProcess.start("S3 server", List.of(LocalArtifacts.java(), "-Xmx512m", "-XX:+UseSerialGC",
        "-jar", jar.toString(), "--com.adobe.testing.s3mock.httpPort=" + chosen, "--server.port=0",
        "--server.address=127.0.0.1", "--com.adobe.testing.s3mock.store.root=" + storeRoot.toAbsolutePath(),
        "--com.adobe.testing.s3mock.store.retain-files-on-exit=true",
        "--com.adobe.testing.s3mock.store.initial-buckets=" + bucket, "--spring.main.banner-mode=off"), logFile);
    LocalS3 s3 = new LocalS3(process, null, null, chosen, bucket);
    s3.awaitReady();
    return s3;
  }

  private static boolean namespacesWork() {
    try {
      Process p = new ProcessBuilder("unshare", "-Urn", "sh", "-c", "ip link set lo up").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void awaitReady() throws IOException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
    while (Instant.now().isBefore(deadline)) {
      process.checkAlive();
      try {
        HttpURLConnection c = (HttpURLConnection) URI.create(endpoint() + "/" + bucket).toURL().openConnection();
        c.setConnectTimeout(1000);
        c.setReadTimeout(2000);
        c.setRequestMethod("HEAD");
        if (c.getResponseCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // starting
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for the S3 server");
      }
    }
    close();
    throw new IOException("the S3 server did not start within 90 s; its log ends:\n" + process.logTail(30));
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public String bucket() {
    return bucket;
  }

  @Override
  public void close() {
    process.close();
    if (bridge != null) {
      try {
        bridge.close();
        Files.deleteIfExists(socket);
      } catch (IOException ignored) {
        // the socket file lives in /tmp and is removed on the next start anyway
      }
    }
  }
}
