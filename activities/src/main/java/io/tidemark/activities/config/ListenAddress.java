package io.tidemark.activities.config;

import java.net.InetSocketAddress;

/**
 * A HOST:PORT to listen on. A bare PORT means loopback: nothing is reachable from other hosts
 * unless an address is written out.
 */
public record ListenAddress(String host, int port) {

  public static final String LOOPBACK = "127.0.0.1";

  /** Parses {@code 9464}, {@code 127.0.0.1:9464}, {@code 0.0.0.0:9464} or {@code [::1]:9464}. */
  public static ListenAddress parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("an address to listen on is HOST:PORT or PORT, not an empty value");
    }
    String s = text.trim();
    int colon = s.lastIndexOf(':');
    String host = colon < 0 ? LOOPBACK : s.substring(0, colon);
    String port = colon < 0 ? s : s.substring(colon + 1);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (host.isEmpty() || host.contains(":") && !s.startsWith("[")) {
      throw new IllegalArgumentException("'" + text + "' is not HOST:PORT or PORT (write IPv6 hosts as [::1]:9464)");
    }
    int p;
    try {
      p = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' has no port number (HOST:PORT or PORT)");
    }
    if (p < 0 || p > 65535) {
      throw new IllegalArgumentException("'" + text + "': the port must be 0 to 65535");
    }
    return new ListenAddress(host, p);
  }

  /** The address a server is bound to, as HOST:PORT. */
  public static ListenAddress of(InetSocketAddress bound) {
    return new ListenAddress(bound.getAddress().getHostAddress(), bound.getPort());
  }

  public InetSocketAddress socketAddress() {
    return new InetSocketAddress(host, port);
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
