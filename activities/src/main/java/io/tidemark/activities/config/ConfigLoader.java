package io.tidemark.activities.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tidemark.workflows.restore.AfterRestoreSql;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Reads the configuration file, lays secrets from the environment over it, and checks it. Every
 * mistake is reported with the file, the line and the setting at fault.
 */
public final class ConfigLoader {

  public static final String ENV_CONFIG = "TIDEMARK_CONFIG";
  public static final String DEFAULT_FILE = "tidemark.yaml";
  /** Cluster and node names become parts of object keys and task queue names. */
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private final UnaryOperator<String> env;

  public ConfigLoader(UnaryOperator<String> env) {
    this.env = env;
  }

  public static ConfigLoader fromSystemEnvironment() {
    return new ConfigLoader(System::getenv);
  }

  /** {@code --config} if given, else TIDEMARK_CONFIG, else ./tidemark.yaml. */
  public Path locate(String explicitPath) {
    if (explicitPath != null) {
      return Path.of(explicitPath);
    }
    String fromEnv = env.apply(ENV_CONFIG);
    return Path.of(fromEnv != null && !fromEnv.isBlank() ? fromEnv : DEFAULT_FILE);
  }

  public TidemarkConfig load(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException("no configuration file at " + file.toAbsolutePath()
          + ": pass --config FILE or set " + ENV_CONFIG + " (the README's 'Configuration' section has an example)");
    } catch (IOException e) {
      throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage(), e);
    }
    return parse(text, file.toString());
  }

  public TidemarkConfig parse(String yaml, String source) {
    TidemarkConfig raw;
    try {
      raw = YAML.readValue(yaml, TidemarkConfig.class);
    } catch (UnrecognizedPropertyException e) {
      List<String> known = new ArrayList<>();
      e.getKnownPropertyIds().forEach(k -> known.add(String.valueOf(k)));
      known.sort(null);
      throw new ConfigException(source + ": unknown setting " + path(e) + "; valid settings there: "
          + String.join(", ", known));
    } catch (JsonMappingException e) {
      throw new ConfigException(source + ": " + path(e) + ": " + e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      throw new ConfigException(source + where(e.getLocation()) + ": " + e.getOriginalMessage());
    }
    if (raw == null) {
      throw new ConfigException(source + ": the configuration file is empty");
    }
    TidemarkConfig config = withSecrets(raw);
    check(config, source);
    return config;
  }

  /** Where in the file, as a person would say it: clusters.main.nodes[1].port. */
  private static String path(JsonMappingException e) {
    StringBuilder s = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        s.append(s.length() == 0 ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        s.append('[').append(ref.getIndex()).append(']');
      }
    }
    return "'" + s + "'";
  }

  private static String where(JsonLocation location) {
    return location == null || location.getLineNr() < 1 ? "" : ": line " + location.getLineNr();
  }

  private TidemarkConfig withSecrets(TidemarkConfig raw) {
    RepositorySettings repo = raw.repository();
    if (repo != null && repo.s3() != null) {
      S3Settings s3 = repo.s3();
      String id = firstSet(env.apply("TIDEMARK_S3_ACCESS_KEY_ID"), s3.accessKeyId());
      String secret = firstSet(env.apply("TIDEMARK_S3_SECRET_ACCESS_KEY"), s3.secretAccessKey());
      repo = new RepositorySettings(s3.withKeys(id, secret), repo.local(), repo.compression(), repo.compressionLevel());
    }
    Map<String, ClusterSettings> clusters = new LinkedHashMap<>();
    raw.clusters().forEach((name, cluster) -> {
      List<NodeSettings> nodes = new ArrayList<>();
      for (NodeSettings node : cluster.nodes()) {
        String password = firstSet(env.apply(passwordVariable(name, node.name())),
            env.apply("TIDEMARK_PG_PASSWORD"), node.password());
        nodes.add(node.withPassword(password));
      }
      clusters.put(name, cluster.withNodes(nodes));
    });
    return new TidemarkConfig(raw.temporal(), repo, clusters, raw.worker(), raw.wal());
  }

  /** TIDEMARK_PG_PASSWORD_MAIN_PG_1 for cluster 'main', node 'pg-1'. */
  public static String passwordVariable(String cluster, String node) {
    return ("TIDEMARK_PG_PASSWORD_" + cluster + "_" + node).toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_");
  }

  private static String firstSet(String... values) {
    for (String v : values) {
      if (v != null && !v.isEmpty()) {
        return v;
      }
    }
    return null;
  }

  private static void check(TidemarkConfig config, String source) {
    RepositorySettings repo = config.repository();
    if (repo == null || (repo.s3() == null) == (repo.local() == null)) {
      throw new ConfigException(source + ": 'repository' needs exactly one of 's3' or 'local'");
    }
    if (repo.s3() != null && (repo.s3().bucket() == null || repo.s3().bucket().isBlank())) {
      throw new ConfigException(source + ": repository.s3.bucket is required");
    }
    if (repo.s3() != null && repo.s3().partSizeMiB() < 5) {
      throw new ConfigException(source + ": repository.s3.partSizeMiB must be at least 5 (S3's smallest part)");
    }
    if (repo.local() != null && (repo.local().path() == null || repo.local().path().isBlank())) {
      throw new ConfigException(source + ": repository.local.path is required");
    }
    if (!List.of("zstd", "none").contains(repo.compression())) {
      throw new ConfigException(source + ": repository.compression is '" + repo.compression() + "'; valid: zstd, none");
    }
    if (repo.compressionLevel() < 1 || repo.compressionLevel() > 19) {
      throw new ConfigException(source + ": repository.compressionLevel must be 1 to 19");
    }
    MetricsSettings metrics = config.worker().metrics();
    if (metrics.enabled()) {
      try {
        metrics.address();
      } catch (IllegalArgumentException e) {
        throw new ConfigException(source + ": worker.metrics.listen: " + e.getMessage());
      }
    }
    WalSettings wal = config.wal();
    if (wal.prefetch() < 0 || wal.prefetch() > 256) {
      throw new ConfigException(source + ": wal.prefetch must be 0 (off) to 256 segments");
    }
    if (wal.pushAhead() < 0 || wal.pushAhead() > 256) {
      throw new ConfigException(source + ": wal.pushAhead must be 0 (off) to 256 segments");
    }
    if (wal.threads() < 1 || wal.threads() > 64) {
      throw new ConfigException(source + ": wal.threads must be 1 to 64");
    }
    if (wal.spoolPath() != null && (wal.spoolPath().isBlank() || !Path.of(wal.spoolPath()).isAbsolute())) {
      throw new ConfigException(source + ": wal.spoolPath must be an absolute path (or left out for pg_wal/tidemark-spool"
          + " in the data directory)");
    }
    config.clusters().forEach((name, cluster) -> {
      if (!NAME.matcher(name).matches()) {
        throw new ConfigException(source + ": cluster name '" + name + "' must be lower-case letters, digits, '-' or '_'");
      }
      if (!List.of("postgres", "citus", "greenplum").contains(cluster.flavor())) {
        throw new ConfigException(source + ": cluster '" + name + "': flavor '" + cluster.flavor()
            + "'; valid: postgres, citus, greenplum");
      }
      if (cluster.nodes().isEmpty()) {
        throw new ConfigException(source + ": cluster '" + name + "' has no nodes");
      }
      RetentionSettings retention = cluster.retention();
      if (retention.full() != null && retention.full() < 1) {
        throw new ConfigException(source + ": cluster '" + name + "': retention.full must be at least 1"
            + " (leave retention out to keep every backup)");
      }
      if (retention.recoveryWindowDays() != null && retention.recoveryWindowDays() < 1) {
        throw new ConfigException(source + ": cluster '" + name + "': retention.recoveryWindowDays must be at least 1");
      }
      Set<String> seen = new HashSet<>();
      if (cluster.nodes().stream().filter(n -> ClusterSettings.COORDINATOR.equals(n.role())).count() > 1) {
        throw new ConfigException(source + ": cluster '" + name + "' has more than one node with role coordinator");
      }
      try {
        AfterRestoreSql.check(cluster.afterRestore(), cluster.nodeNames());
      } catch (IllegalArgumentException e) {
        throw new ConfigException(source + ": cluster '" + name + "': " + e.getMessage());
      }
      for (NodeSettings node : cluster.nodes()) {
        if (!List.of(ClusterSettings.COORDINATOR, ClusterSettings.SEGMENT).contains(node.role())) {
          throw new ConfigException(source + ": cluster '" + name + "', node '" + node.name() + "': role '" + node.role()
              + "'; valid: coordinator, segment");
        }
        if (cluster.flavor().equals("greenplum") && node.contentId() == null) {
          throw new ConfigException(source + ": cluster '" + name + "', node '" + node.name() + "': a greenplum cluster"
              + " names each node's contentId (-1 for the coordinator; gp_segment_configuration.content)");
        }
        if (node.name() == null || !NAME.matcher(node.name()).matches()) {
          throw new ConfigException(source + ": cluster '" + name + "': node name '" + node.name()
              + "' must be lower-case letters, digits, '-' or '_'");
        }
        if (!seen.add(node.name())) {
          throw new ConfigException(source + ": cluster '" + name + "': node '" + node.name() + "' is defined twice");
        }
        if (node.dataDirectory() == null || node.dataDirectory().isBlank()) {
          throw new ConfigException(source + ": cluster '" + name + "', node '" + node.name() + "': dataDirectory is required");
        }
      }
    });
  }
}
