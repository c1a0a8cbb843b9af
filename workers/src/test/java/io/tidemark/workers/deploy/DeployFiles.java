package io.tidemark.workers.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The files in infra/deploy, parsed, and the metric names their queries use. */
public final class DeployFiles {

  public static final ObjectMapper YAML = new YAMLMapper();
  public static final ObjectMapper JSON = new JsonMapper();

  private static final Set<String> PROMQL_WORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on",
      "ignoring", "group_left", "group_right", "inf", "nan");
  /** Prometheus's own series, which no exporter makes. */
  public static final Set<String> PROMETHEUS_OWN = Set.of("up");

  private DeployFiles() {}

  /** infra/deploy of this checkout (tests run in the workers module). */
  public static Path directory() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("infra/deploy"))) {
        return p.resolve("infra/deploy");
      }
    }
    throw new IllegalStateException("no infra/deploy above " + Path.of("").toAbsolutePath());
  }

  public static List<Path> files(String... extensions) {
    try (Stream<Path> walk = Files.walk(directory())) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> Stream.of(extensions).anyMatch(e -> p.getFileName().toString().endsWith(e)))
          .sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every document of a YAML file (Kubernetes files hold several). */
  public static List<JsonNode> yamlDocuments(Path file) throws IOException {
    List<JsonNode> docs = new ArrayList<>();
    try (var parser = new YAMLFactory().createParser(file.toFile())) {
      var it = YAML.readValues(parser, JsonNode.class);
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
          docs.add(doc);
        }
      }
    }
    return docs;
  }

  /** Each PromQL query of the dashboard and the alert rules, by where it is. */
  public static Map<String, String> queries() throws IOException {
    Map<String, String> queries = new TreeMap<>();
    JsonNode dashboard = JSON.readTree(directory().resolve("grafana/tidemark-dashboard.json").toFile());
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        queries.put("dashboard panel '" + panel.path("title").asText() + "' " + target.path("refId").asText(),
            target.path("expr").asText());
      }
    }
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      Matcher m = Pattern.compile("label_values\\(([^,]+),").matcher(variable.path("query").asText());
      if (m.find()) {
        queries.put("dashboard variable " + variable.path("name").asText(), m.group(1).trim());
      }
    }
    for (JsonNode group : yamlDocuments(directory().resolve("prometheus/alerts.yml")).get(0).path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        queries.put("alert " + rule.path("alert").asText(), rule.path("expr").asText());
      }
    }
    return queries;
  }

  /** The series names a PromQL expression reads. */
  public static Set<String> metricNames(String expr) {
    String s = expr.replaceAll("\\{[^}]*}", " ")
        .replaceAll("\\[[^]]*]", " ")
        .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
    Set<String> names = new TreeSet<>();
    Matcher m = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*(\\s*\\()?").matcher(s);
    while (m.find()) {
      String word = m.group().replaceAll("[\\s(]", "");
      if (m.group(1) == null && !PROMQL_WORDS.contains(word.toLowerCase())) {
        names.add(word);
      }
    }
    return names;
  }

  /** Every series name any query uses. */
  public static Set<String> allMetricNames() throws IOException {
    Set<String> names = new TreeSet<>();
    for (String q : queries().values()) {
      names.addAll(metricNames(q));
    }
    return names;
  }
}
