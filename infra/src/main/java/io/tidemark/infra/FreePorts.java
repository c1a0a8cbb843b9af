package io.tidemark.infra;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A port on the loopback interface that nobody listens on right now, for a server started later.
 *
 * <p>Ports come from below the kernel's ephemeral range: a port the kernel hands out (port 0) may
 * meanwhile become the local end of some outgoing connection, and a PostgreSQL started on it
 * seconds later then fails with "could not bind". No port is handed out twice by one process.
 */
public final class FreePorts {

  private static final int LOWEST = 10_000;
  private static final Set<Integer> handedOut = new HashSet<>();

  private FreePorts() {}

  public static synchronized int loopback() {
    int below = Math.max(LOWEST + 1_000, ephemeralRangeStart());
    for (int tries = 0; tries < 1_000; tries++) {
      int port = ThreadLocalRandom.current().nextInt(LOWEST, below);
      if (!handedOut.contains(port) && bindable(port)) {
        handedOut.add(port);
        return port;
      }
    }
    throw new IllegalStateException("no free loopback port between " + LOWEST + " and " + below);
  }

  private static boolean bindable(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException taken) {
      return false;
    }
  }

  private static int ephemeralRangeStart() {
    try {
      String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
      return Integer.parseInt(range.split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return 32_768; // Linux's default
    }
  }
}
