package io.tidemark.workers.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tidemark.activities.config.ListenAddress;
import io.tidemark.activities.runtime.DaemonThreads;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * The JDK's HTTP server, serving {@code /metrics} (Prometheus text format), {@code /healthz}
 * (the process answers: liveness) and {@code /readyz} (the worker polls its queues: readiness).
 */
final class MetricsEndpoint implements AutoCloseable {

  private static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;

  MetricsEndpoint(ListenAddress listen, PrometheusMeterRegistry registry, BooleanSupplier ready) throws IOException {
    try {
      server = HttpServer.create(listen.socketAddress(), 16);
    } catch (BindException e) {
      throw new BindException("cannot listen for metrics on " + listen + " (" + e.getMessage() + "): set worker.metrics.listen"
          + " in the configuration or --metrics-listen, or turn the endpoint off (worker.metrics.enabled: false)");
    }
    server.createContext(WorkerMetrics.METRICS_PATH, exchange -> {
      byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
      respond(exchange, 200, TEXT_FORMAT, body);
    });
    server.createContext(WorkerMetrics.HEALTH_PATH, exchange -> respond(exchange, 200, "text/plain", "ok\n".getBytes(StandardCharsets.UTF_8)));
    server.createContext(WorkerMetrics.READY_PATH, exchange -> {
      boolean yes = ready.getAsBoolean();
      respond(exchange, yes ? 200 : 503, "text/plain", (yes ? "ready\n" : "not polling yet\n").getBytes(StandardCharsets.UTF_8));
    });
    // Scrapes are rare and small; one daemon thread, so the endpoint never holds the JVM up.
    server.setExecutor(Executors.newSingleThreadExecutor(DaemonThreads.named("tidemark-metrics")));
    server.start();
  }

  InetSocketAddress address() {
    return server.getAddress();
  }

  private static void respond(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", type);
      boolean head = "HEAD".equals(exchange.getRequestMethod());
      exchange.sendResponseHeaders(status, head ? -1 : body.length);
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
