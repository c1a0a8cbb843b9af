package io.tidemark.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidemark.activities.config.ConfigLoader;
import io.tidemark.activities.config.ListenAddress;
import io.tidemark.activities.config.NodeSettings;
import io.tidemark.activities.config.TidemarkConfig;
import io.tidemark.workers.cli.Args;
import io.tidemark.workers.cli.Command;
import io.tidemark.workers.deploy.DeployFiles;
import io.tidemark.workers.metrics.ExportedNames;
import io.tidemark.workers.metrics.WorkerMetrics;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The deploy files cannot run here (no Docker, no Kubernetes), so what can be checked is checked:
 * they parse; each query reads only series a worker exports; each tidemark command line is one
 * the CLI accepts, naming nodes its configuration has; ports and probe paths match the
 * configuration and the endpoint; no secret is written into them.
 */
class DeployFilesTest {

  private static final Path DEPLOY = DeployFiles.directory();
  private static final Pattern SECRET_NAME = Pattern.compile(".*(KEY|SECRET|PASSWORD|PWD|TOKEN|ROOT_USER).*");
  private static final Pattern REFERENCE = Pattern.compile("\\$\\{[A-Z0-9_]+(:\\?[^}]*)?}");

  @Test
  void everyFileParses() throws Exception {
    List<Path> yaml = DeployFiles.files(".yml", ".yaml");
    assertTrue(yaml.size() >= 8, "deploy YAML files: " + yaml);
    for (Path f : yaml) {
      assertFalse(DeployFiles.yamlDocuments(f).isEmpty(), f + " is empty");
    }
    for (Path f : DeployFiles.files(".json")) {
      assertNotNull(DeployFiles.JSON.readTree(f.toFile()), f.toString());
    }
  }

  @Test
  void queriesReadOnlySeriesTheWorkerExports() throws Exception {
    assertEquals(Set.of("x_bucket"), DeployFiles.metricNames(
        "histogram_quantile(0.95, sum by (le, q) (rate(x_bucket{a=\"b\"}[5m]))) > 60 and on (q) up2 * 0 + 1 > bool 0")
            .stream().filter(n -> !n.equals("up2")).collect(java.util.stream.Collectors.toSet()));
    Set<String> tidemark = ExportedNames.tidemark();
    Set<String> sdk = sdkMetricNames();
    Map<String, String> queries = DeployFiles.queries();
    assertTrue(queries.size() >= 15, "queries: " + queries.keySet());
    for (Map.Entry<String, String> q : queries.entrySet()) {
      Set<String> names = DeployFiles.metricNames(q.getValue());
      assertFalse(names.isEmpty(), q.getKey() + " reads no series: " + q.getValue());
      for (String name : names) {
        boolean known = name.startsWith("tidemark_") ? tidemark.contains(name)
            : name.startsWith("temporal_") ? sdk.contains(sdkBaseName(name))
            : DeployFiles.PROMETHEUS_OWN.contains(name);
        assertTrue(known, q.getKey() + " reads " + name + ", which no worker exports; Tidemark's: " + tidemark);
      }
    }
  }

  /** temporal_activity_execution_latency_seconds_bucket → temporal_activity_execution_latency. */
  private static String sdkBaseName(String name) {
    return name.replaceAll("(_seconds)?(_bucket|_count|_sum|_max|_total)?$", "");
  }

  /** The names the SDK reports, from its own constants. */
  private static Set<String> sdkMetricNames() throws Exception {
    Set<String> names = new HashSet<>();
    for (Class<?> c : List.of(io.temporal.worker.MetricsType.class, io.temporal.serviceclient.MetricsType.class)) {
      for (Field f : c.getFields()) {
        if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
          names.add((String) f.get(null));
        }
      }
    }
    return names;
  }

  @Test
  void composeRunsRealCommandsAgainstItsOwnConfiguration() throws Exception {
    JsonNode compose = DeployFiles.yamlDocuments(DEPLOY.resolve("compose/docker-compose.yml")).get(0);
    JsonNode services = compose.path("services");
    TidemarkConfig config = load(DEPLOY.resolve("compose/tidemark.yaml"));
    for (String name : List.of("worker", "agent")) {
      JsonNode s = services.path(name);
      List<String> words = new ArrayList<>();
      s.path("entrypoint").forEach(w -> words.add(w.asText()));
      s.path("command").forEach(w -> words.add(w.asText()));
      if (words.isEmpty() || !words.get(0).equals("tidemark")) {
        words.add(0, "tidemark"); // the image's entrypoint
      }
      checkCommandLine(name, words, config, mountTarget(s, "./tidemark.yaml"));
      assertTrue(s.path("environment").path("TIDEMARK_JAVA_OPTS").asText().contains("-Xmx512m")
          || compose.path("x-tidemark-env").path("TIDEMARK_JAVA_OPTS").asText().contains("-Xmx512m"), name);
    }
    // archive_command: tidemark wal-push with the node's own cluster and name.
    String archive = null;
    for (JsonNode w : services.path("postgres").path("command")) {
      if (w.asText().startsWith("archive_command=")) {
        archive = w.asText().substring("archive_command=".length());
      }
    }
    assertNotNull(archive, "postgres archives through tidemark");
    checkCommandLine("archive_command", List.of(archive.split(" ")), config,
        mountTarget(services.path("postgres"), "./tidemark.yaml"));

    // Prometheus scrapes each worker where its configuration listens.
    ListenAddress listen = config.worker().metrics().address();
    assertEquals("0.0.0.0", listen.host(), "in a container the endpoint must be reachable by Prometheus's container");
    JsonNode prometheus = DeployFiles.yamlDocuments(DEPLOY.resolve("compose/prometheus.yml")).get(0);
    JsonNode job = prometheus.path("scrape_configs").get(0);
    assertEquals(WorkerMetrics.METRICS_PATH, job.path("metrics_path").asText());
    List<String> targets = new ArrayList<>();
    job.path("static_configs").get(0).path("targets").forEach(t -> targets.add(t.asText()));
    assertEquals(List.of("worker:" + listen.port(), "agent:" + listen.port()), targets);
    assertEquals(mountTarget(services.path("prometheus"), "../prometheus/alerts.yml"),
        prometheus.path("rule_files").get(0).asText());

    // Grafana loads the dashboard from where compose mounts it.
    JsonNode provider = DeployFiles.yamlDocuments(DEPLOY.resolve("compose/grafana/provisioning/dashboards/tidemark.yml"))
        .get(0).path("providers").get(0);
    assertEquals(mountTarget(services.path("grafana"), "../grafana"), provider.path("options").path("path").asText());
    assertTrue(Files.isRegularFile(DEPLOY.resolve("grafana/tidemark-dashboard.json")));

    // Images are built from Dockerfiles that copy what the build makes.
    for (String name : List.of("worker", "postgres")) {
      Path dockerfile = DEPLOY.resolve("../..").resolve(services.path(name).path("build").path("dockerfile").asText());
      assertTrue(Files.isRegularFile(dockerfile), dockerfile.toString());
      String text = Files.readString(dockerfile);
      assertTrue(text.contains("COPY tidemark ") && text.contains("COPY workers/target/tidemark.jar "), dockerfile.toString());
    }
    assertTrue(Files.readString(DEPLOY.resolve("../../workers/pom.xml")).contains("<finalName>tidemark</finalName>"),
        "the shaded jar is workers/target/tidemark.jar");
    assertTrue(Files.isRegularFile(DEPLOY.resolve("../../tidemark")), "the launcher the images copy");
  }

  @Test
  void composeWritesNoSecret() throws Exception {
    JsonNode compose = DeployFiles.yamlDocuments(DEPLOY.resolve("compose/docker-compose.yml")).get(0);
    List<JsonNode> environments = new ArrayList<>();
    environments.add(compose.path("x-tidemark-env"));
    compose.path("services").forEach(s -> environments.add(s.path("environment")));
    for (JsonNode env : environments) {
      env.fields().forEachRemaining(e -> {
        String value = e.getValue().asText();
        if (SECRET_NAME.matcher(e.getKey()).matches()) {
          assertTrue(REFERENCE.matcher(value).matches(), e.getKey() + " must be a ${VARIABLE} reference, not " + value);
        }
        assertFalse(REFERENCE.matcher(value).replaceAll("").matches(".*://[^/@]+:[^/@]+@.*"),
            e.getKey() + " holds credentials in a URL");
      });
    }
    for (String line : Files.readAllLines(DEPLOY.resolve("compose/env.example"))) {
      assertTrue(line.startsWith("#") || line.isBlank() || line.endsWith("="), "env.example sets no value: " + line);
    }
  }

  @Test
  void kubernetesWorkerIsProbedOnItsMetricsPortAndReferencesItsSecrets() throws Exception {
    List<JsonNode> docs = new ArrayList<>();
    for (Path f : DeployFiles.files(".yaml")) {
      if (f.startsWith(DEPLOY.resolve("kubernetes"))) {
        docs.addAll(DeployFiles.yamlDocuments(f));
      }
    }
    JsonNode configMap = only(docs, "ConfigMap");
    TidemarkConfig config = parse(configMap.path("data").path("tidemark.yaml").asText());
    int port = config.worker().metrics().address().port();
    assertTrue(docs.stream().noneMatch(d -> d.path("kind").asText().equals("Secret")), "Secrets are created, not shipped");

    JsonNode deployment = only(docs, "Deployment");
    JsonNode pod = deployment.path("spec").path("template").path("spec");
    JsonNode container = pod.path("containers").get(0);
    String mountPath = null;
    for (JsonNode m : container.path("volumeMounts")) {
      for (JsonNode v : pod.path("volumes")) {
        if (v.path("name").equals(m.path("name"))
            && v.path("configMap").path("name").asText().equals(configMap.path("metadata").path("name").asText())) {
          mountPath = m.path("mountPath").asText();
        }
      }
    }
    assertNotNull(mountPath, "the ConfigMap is mounted");
    List<String> words = new ArrayList<>(List.of("tidemark"));
    container.path("args").forEach(w -> words.add(w.asText()));
    checkCommandLine("deployment", words, config, mountPath + "/tidemark.yaml");

    JsonNode metricsPort = null;
    for (JsonNode p : container.path("ports")) {
      if (p.path("name").asText().equals("metrics")) {
        metricsPort = p;
      }
    }
    assertNotNull(metricsPort);
    assertEquals(port, metricsPort.path("containerPort").asInt(), "containerPort is where tidemark.yaml listens");
    assertEquals("metrics", container.path("livenessProbe").path("httpGet").path("port").asText());
    assertEquals(WorkerMetrics.HEALTH_PATH, container.path("livenessProbe").path("httpGet").path("path").asText());
    assertEquals("metrics", container.path("readinessProbe").path("httpGet").path("port").asText());
    assertEquals(WorkerMetrics.READY_PATH, container.path("readinessProbe").path("httpGet").path("path").asText());
    JsonNode service = only(docs, "Service");
    assertEquals(port, service.path("spec").path("ports").get(0).path("port").asInt());
    assertEquals("metrics", service.path("spec").path("ports").get(0).path("targetPort").asText());

    boolean xmx = false;
    for (JsonNode env : container.path("env")) {
      String name = env.path("name").asText();
      if (SECRET_NAME.matcher(name).matches()) {
        assertFalse(env.has("value"), name + " must come from a Secret, not a value");
        assertFalse(env.path("valueFrom").path("secretKeyRef").path("name").asText().isEmpty(), name);
      }
      xmx |= name.equals("TIDEMARK_JAVA_OPTS") && env.path("value").asText().contains("-Xmx512m");
    }
    assertTrue(xmx, "the JVM heap is capped at 512 MiB");
    String memory = container.path("resources").path("limits").path("memory").asText();
    assertTrue(memory.endsWith("Mi") && Integer.parseInt(memory.replace("Mi", "")) >= 640,
        "a memory limit above the heap (metaspace, threads, part buffers): " + memory);
    assertFalse(container.path("resources").path("limits").path("cpu").isMissingNode());

    JsonNode scrape = DeployFiles.yamlDocuments(DEPLOY.resolve("prometheus/prometheus-kubernetes.yml")).get(0)
        .path("scrape_configs").get(0);
    assertEquals(WorkerMetrics.METRICS_PATH, scrape.path("metrics_path").asText());
    assertTrue(scrape.toString().contains("\"metrics\"") && scrape.toString().contains("\"tidemark\""),
        "keeps pods named tidemark on their port named metrics");
    assertEquals("tidemark", deployment.path("spec").path("template").path("metadata").path("labels")
        .path("app.kubernetes.io/name").asText());
  }

  /** The words a container runs: tidemark, the global --config, a command the CLI has, options it accepts. */
  private static void checkCommandLine(String where, List<String> words, TidemarkConfig config, String configMount) {
    assertEquals("tidemark", words.get(0), where);
    assertEquals("--config", words.get(1), where + ": the configuration is named explicitly");
    assertEquals(configMount, words.get(2), where + ": --config names the mounted file");
    Command command = Main.COMMANDS.stream().filter(c -> c.name().equals(words.get(3))).findFirst()
        .orElseThrow(() -> new AssertionError(where + ": no tidemark command " + words.get(3)));
    Set<String> valued = new HashSet<>(command.options());
    valued.add("config");
    Args args = Args.parse(words.subList(4, words.size()), valued, command.flags());
    for (String node : args.all("node")) {
      if (node.contains("/")) {
        NodeSettings n = config.requireNode(node.substring(0, node.indexOf('/')), node.substring(node.indexOf('/') + 1));
        assertNotNull(n, where + ": " + node);
      } else {
        config.requireNode(args.require("cluster"), node);
      }
    }
  }

  private static String mountTarget(JsonNode service, String source) {
    for (JsonNode v : service.path("volumes")) {
      String[] parts = v.asText().split(":");
      if (parts[0].equals(source)) {
        return parts[1];
      }
    }
    return fail(source + " is not mounted in " + service);
  }

  private static JsonNode only(List<JsonNode> docs, String kind) {
    List<JsonNode> found = docs.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
    assertEquals(1, found.size(), kind + " documents");
    return found.get(0);
  }

  /** Loads with no environment: whatever credential is set must then be in the file, and none may be. */
  private static TidemarkConfig load(Path file) throws Exception {
    return parse(Files.readString(file));
  }

  private static TidemarkConfig parse(String yaml) {
    TidemarkConfig config = new ConfigLoader(name -> null).parse(yaml, "deploy");
    if (config.repository().s3() != null) {
      assertNull(config.repository().s3().accessKeyId(), "no S3 key in the file");
      assertNull(config.repository().s3().secretAccessKey(), "no S3 secret in the file");
    }
    config.clusters().values().forEach(c -> c.nodes().forEach(n -> assertNull(n.password(), "no password in the file")));
    return config;
  }
}
