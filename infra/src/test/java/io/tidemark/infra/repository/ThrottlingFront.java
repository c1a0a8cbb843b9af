package io.tidemark.infra.repository;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback front for the S3 server that answers the next connections with a throttling error
 * (503 SlowDown or 429), as a busy S3 prefix does, and forwards every other connection untouched.
 * For tests of retries against the real server behind it. Faults are per connection: arming them
 * cuts the open ones, so the client's next request opens a new one and meets them.
 */
final class ThrottlingFront implements AutoCloseable {

  private final ServerSocket server;
  private final int targetPort;
  private final AtomicInteger faultsLeft = new AtomicInteger();
  private final AtomicInteger faultsSent = new AtomicInteger();
  private final AtomicInteger forwarded = new AtomicInteger();
  private volatile int status = 503;
  private final java.util.Set<Socket> open = java.util.concurrent.ConcurrentHashMap.newKeySet();

  ThrottlingFront(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "throttling-front");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  /**
   * The next {@code count} connections get {@code httpStatus} (503 or 429). Open connections are
   * cut, so that the client's next request needs a new one rather than reusing a pooled one.
   */
  void throttleNext(int count, int httpStatus) {
    status = httpStatus;
    faultsLeft.set(count);
    for (Socket s : open) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closed already
      }
    }
  }

  int faultsSent() {
    return faultsSent.get();
  }

  int forwarded() {
    return forwarded.get();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Thread t = new Thread(() -> serve(client), "throttling-front-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket client) {
    try (client) {
      if (faultsLeft.getAndDecrement() > 0) {
        refuse(client);
        faultsSent.incrementAndGet();
        return;
      }
      forwarded.incrementAndGet();
      open.add(client);
      try (Socket upstream = new Socket()) {
        upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort));
        Thread back = new Thread(() -> pump(upstream, client), "throttling-front-back");
        back.setDaemon(true);
        back.start();
        pump(client, upstream);
        upstream.close();
        back.join();
      }
    } catch (IOException | InterruptedException ignored) {
      // a connection closed by either side ends its forwarding
    } finally {
      open.remove(client);
    }
  }

  /** Reads the request head (and a body not held back by Expect: 100-continue), answers, closes. */
  private void refuse(Socket client) throws IOException {
    InputStream in = client.getInputStream();
    String head = readHead(in);
    String lower = head.toLowerCase(Locale.ROOT);
    if (!lower.contains("expect: 100-continue")) {
      long length = contentLength(lower);
      in.skipNBytes(length);
    }
    String code = status == 503 ? "SlowDown" : "TooManyRequests";
    String body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code
        + "</Code><Message>Please reduce your request rate.</Message></Error>";
    String reason = status == 503 ? "Slow Down" : "Too Many Requests";
    OutputStream out = client.getOutputStream();
    out.write(("HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: application/xml\r\nContent-Length: "
        + body.length() + "\r\nConnection: close\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  private static long contentLength(String lowerHead) {
    for (String line : lowerHead.split("\r\n")) {
      if (line.startsWith("content-length:")) {
        return Long.parseLong(line.substring("content-length:".length()).trim());
      }
    }
    return 0;
  }

  private static void pump(Socket from, Socket to) {
    try {
      from.getInputStream().transferTo(to.getOutputStream());
      to.shutdownOutput();
    } catch (IOException ignored) {
      // the other side closed
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
