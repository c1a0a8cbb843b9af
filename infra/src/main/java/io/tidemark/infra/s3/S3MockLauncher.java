package io.tidemark.infra.s3;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs inside the local S3 server's own network namespace, as its first process: starts S3Mock
 * there (whatever interfaces it binds, the namespace has only its own loopback), opens the Unix
 * socket through which the outside reaches it, and exits when its stdin closes, which takes the
 * whole namespace and S3Mock with it.
 *
 * <p>Arguments: s3mock.jar store-root socket-path bucket
 */
public final class S3MockLauncher {

  static final int HTTP_PORT = 9090;
  private static final int HTTPS_PORT = 9191;

  private S3MockLauncher() {}

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args[0]);
    Path storeRoot = Path.of(args[1]);
    Path socket = Path.of(args[2]);
    String bucket = args[3];
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-jar", jar.toString(),
        "--com.adobe.testing.s3mock.httpPort=" + HTTP_PORT,
        "--server.port=" + HTTPS_PORT,
        "--com.adobe.testing.s3mock.store.root=" + storeRoot,
        "--com.adobe.testing.s3mock.store.retain-files-on-exit=true",
        "--com.adobe.testing.s3mock.store.initial-buckets=" + bucket,
        "--spring.main.banner-mode=off",
        "--logging.level.root=WARN",
        "--logging.level.com.adobe.testing.s3mock=INFO"));
    Process s3mock = new ProcessBuilder(command).inheritIO().redirectInput(ProcessBuilder.Redirect.PIPE).start();
    try (SocketBridge bridge = SocketBridge.unixToTcp(socket, new InetSocketAddress("127.0.0.1", HTTP_PORT))) {
      // Block until the parent goes away (stdin closes), or S3Mock itself dies.
      Thread parentWatch = new Thread(() -> {
        try {
          while (System.in.read() >= 0) {
            // nothing is ever sent; this only waits for end of stream
          }
        } catch (java.io.IOException ignored) {
          // parent gone
        }
        s3mock.destroy();
      });
      parentWatch.setDaemon(true);
      parentWatch.start();
      s3mock.waitFor();
    } finally {
      s3mock.destroyForcibly();
    }
  }
}
