package io.tidemark.infra.s3;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Forwards every connection accepted on one socket to another address, in both directions. It
 * carries the local S3 server's traffic across the boundary of the network namespace it runs in:
 * a Unix socket file is the only way in, and the outside end listens on 127.0.0.1 only.
 */
public final class SocketBridge implements AutoCloseable {

  private final ServerSocketChannel server;
  private final SocketAddress target;
  private final Thread acceptor;

  private SocketBridge(ServerSocketChannel server, SocketAddress target, String name) {
    this.server = server;
    this.target = target;
    this.acceptor = new Thread(this::acceptLoop, name);
    this.acceptor.setDaemon(true);
    this.acceptor.start();
  }

  /** Listens on 127.0.0.1:port (0 for any free port) and forwards to a Unix socket. */
  public static SocketBridge loopbackToUnix(int port, Path socket) throws IOException {
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.INET);
    server.bind(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port));
    return new SocketBridge(server, UnixDomainSocketAddress.of(socket), "s3-bridge-tcp");
  }

  /** Listens on a Unix socket and forwards to a TCP address. */
  public static SocketBridge unixToTcp(Path socket, InetSocketAddress target) throws IOException {
    Files.deleteIfExists(socket);
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    return new SocketBridge(server, target, "s3-bridge-unix");
  }

  public int port() throws IOException {
    return ((InetSocketAddress) server.getLocalAddress()).getPort();
  }

  private void acceptLoop() {
    while (server.isOpen()) {
      try {
        SocketChannel client = server.accept();
        SocketChannel upstream;
        try {
          upstream = SocketChannel.open(target);
        } catch (IOException unreachable) {
          client.close();
          continue;
        }
        AtomicInteger open = new AtomicInteger(2);
        pump(client, upstream, open);
        pump(upstream, client, open);
      } catch (IOException closed) {
        return;
      }
    }
  }

  /**
   * Copies one direction until end of stream, then half-closes; the last of the two directions to
   * finish closes both channels.
   */
  private static void pump(SocketChannel from, SocketChannel to, AtomicInteger open) {
    Thread t = new Thread(() -> {
      ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);
      try {
        while (from.read(buffer) >= 0) {
          buffer.flip();
          while (buffer.hasRemaining()) {
            to.write(buffer);
          }
          buffer.clear();
        }
        to.shutdownOutput();
        if (open.decrementAndGet() == 0) {
          closeQuietly(from);
          closeQuietly(to);
        }
      } catch (IOException broken) {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, "s3-bridge-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(SocketChannel c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
