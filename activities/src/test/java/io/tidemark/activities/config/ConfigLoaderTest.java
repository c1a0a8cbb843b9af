package io.tidemark.activities.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

  static final String EXAMPLE = """
      temporal:
        address: temporal.internal:7233
        namespace: backups
      repository:
        s3:
          bucket: pg-backups
          endpoint: http://127.0.0.1:9000
          prefix: /prod/
          pathStyle: true
      clusters:
        main:
          flavor: citus
          nodes:
            - name: coord
              host: 10.0.0.1
              dataDirectory: /var/lib/postgresql/15/main
            - name: worker-1
              role: segment
              port: 5433
              password: from-file
              dataDirectory: /data/pg
              taskQueue: agents-host-2
      """;

  private static ConfigLoader loader(Map<String, String> env) {
    return new ConfigLoader(env::get);
  }

  @Test
  void readsTheExampleWithDefaults() {
    TidemarkConfig c = loader(Map.of()).parse(EXAMPLE, "tidemark.yaml");
    assertEquals("temporal.internal:7233", c.temporal().address());
    assertEquals("backups", c.temporal().namespace());
    assertEquals("prod", c.repository().s3().prefix());
    assertEquals("us-east-1", c.repository().s3().region());
    assertEquals(1, c.repository().zstdLevel());
    NodeSettings coord = c.requireNode("main", "coord");
    assertEquals(5432, coord.port());
    assertEquals("postgres", coord.user());
    assertEquals("tidemark-node-coord", coord.taskQueue());
    assertEquals("agents-host-2", c.requireNode("main", "worker-1").taskQueue());
    assertEquals("citus", c.requireCluster("main").flavor());
    assertEquals("coordinator", coord.role(), "the first node is the coordinator unless another says so");
    assertEquals("segment", c.requireNode("main", "worker-1").role());
  }

  @Test
  void aNodeThatSaysItIsTheCoordinatorIsOneAndTheOthersAreSegments() {
    TidemarkConfig c = loader(Map.of()).parse(EXAMPLE.replace("role: segment", "role: coordinator"), "f");
    assertEquals("worker-1", c.requireCluster("main").coordinator().name());
    assertEquals("segment", c.requireNode("main", "coord").role());
  }

  @Test
  void secretsFromTheEnvironmentWinOverTheFile() {
    TidemarkConfig c = loader(Map.of("TIDEMARK_S3_ACCESS_KEY_ID", "AKIA", "TIDEMARK_S3_SECRET_ACCESS_KEY", "s3cr3t",
        "TIDEMARK_PG_PASSWORD_MAIN_WORKER_1", "from-env", "TIDEMARK_PG_PASSWORD", "everyone")).parse(EXAMPLE, "f");
    assertEquals("AKIA", c.repository().s3().accessKeyId());
    assertEquals("from-env", c.requireNode("main", "worker-1").password());
    assertEquals("everyone", c.requireNode("main", "coord").password());
    assertNull(loader(Map.of()).parse(EXAMPLE, "f").requireNode("main", "coord").password());
  }

  @Test
  void secretsNeverShowInPrintedSettings() {
    TidemarkConfig c = loader(Map.of("TIDEMARK_S3_SECRET_ACCESS_KEY", "s3cr3t", "TIDEMARK_S3_ACCESS_KEY_ID", "AKIA"))
        .parse(EXAMPLE, "f");
    String printed = c.toString();
    assertFalse(printed.contains("s3cr3t") || printed.contains("AKIA") || printed.contains("from-file"), printed);
  }

  @Test
  void anUnknownSettingIsNamedWithItsLineAndTheValidOnes() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> loader(Map.of()).parse(EXAMPLE.replace("port: 5433", "prot: 5433"), "tidemark.yaml"));
    assertTrue(e.getMessage().startsWith("tidemark.yaml: unknown setting 'clusters.main.nodes[1].prot'"), e.getMessage());
    assertTrue(e.getMessage().contains("dataDirectory") && e.getMessage().contains("port"), e.getMessage());
  }

  @Test
  void mistakesAreNamed() {
    assertMessage(EXAMPLE.replace("  s3:", "  local:\n    path: /x\n  s3:"), "exactly one of 's3' or 'local'");
    assertMessage(EXAMPLE.replace("bucket: pg-backups", "region: eu-west-1"), "bucket is required");
    assertMessage(EXAMPLE.replace("name: worker-1", "name: coord"), "node 'coord' is defined twice");
    assertMessage(EXAMPLE.replace("name: worker-1", "name: Worker One"), "node name 'Worker One'");
    assertMessage(EXAMPLE.replace("flavor: citus", "flavor: oracle"), "flavor 'oracle'");
    assertMessage(EXAMPLE.replace("        dataDirectory: /data/pg\n", ""), "dataDirectory is required");
    assertMessage(EXAMPLE.replace("port: 5433", "port: many"), "'clusters.main.nodes[1].port'");
    assertMessage(EXAMPLE.replace("role: segment", "role: primary"), "role 'primary'; valid: coordinator, segment");
    assertMessage(EXAMPLE.replace("role: segment", "role: coordinator").replace("host: 10.0.0.1",
        "host: 10.0.0.1\n        role: coordinator"), "more than one node with role coordinator");
    assertMessage(EXAMPLE.replace("flavor: citus", "flavor: citus\n    afterRestore: [\"SELECT ${worker-2.port}\"]"),
        "uses ${worker-2.port}");
    assertMessage(EXAMPLE.replace("flavor: citus", "flavor: greenplum"), "a greenplum cluster names each node's contentId");
  }

  @Test
  void metricsListenOnLoopbackUnlessAnAddressIsWrittenOut() {
    TidemarkConfig defaults = loader(Map.of()).parse(EXAMPLE, "f");
    assertTrue(defaults.worker().metrics().enabled());
    assertEquals(new ListenAddress("127.0.0.1", 9464), defaults.worker().metrics().address());

    TidemarkConfig barePort = loader(Map.of()).parse(EXAMPLE + "worker:\n  metrics:\n    listen: 9500\n", "f");
    assertEquals(new ListenAddress("127.0.0.1", 9500), barePort.worker().metrics().address());
    TidemarkConfig everywhere = loader(Map.of()).parse(EXAMPLE + "worker:\n  metrics:\n    listen: 0.0.0.0:9464\n", "f");
    assertEquals(new ListenAddress("0.0.0.0", 9464), everywhere.worker().metrics().address());
    assertEquals(new ListenAddress("::1", 9464), ListenAddress.parse("[::1]:9464"));
    TidemarkConfig off = loader(Map.of()).parse(EXAMPLE + "worker:\n  metrics:\n    enabled: false\n", "f");
    assertFalse(off.worker().metrics().enabled());

    assertMessage(EXAMPLE + "worker:\n  metrics:\n    listen: localhost:http\n", "worker.metrics.listen: 'localhost:http' has no port");
    assertMessage(EXAMPLE + "worker:\n  metrics:\n    listen: 70000\n", "the port must be 0 to 65535");
    ConfigException unknown = assertThrows(ConfigException.class,
        () -> loader(Map.of()).parse(EXAMPLE + "worker:\n  metrics:\n    port: 9464\n", "t.yaml"));
    assertTrue(unknown.getMessage().contains("unknown setting 'worker.metrics.port'")
        && unknown.getMessage().contains("enabled, listen"), unknown.getMessage());
  }

  private static void assertMessage(String yaml, String expected) {
    ConfigException e = assertThrows(ConfigException.class, () -> loader(Map.of()).parse(yaml, "t.yaml"));
    assertTrue(e.getMessage().contains(expected), e.getMessage() + " should contain " + expected);
  }

  @Test
  void unknownClustersAndNodesListWhatExists() {
    TidemarkConfig c = loader(Map.of()).parse(EXAMPLE, "f");
    assertTrue(assertThrows(ConfigException.class, () -> c.requireCluster("mian")).getMessage().contains("[main]"));
    assertTrue(assertThrows(ConfigException.class, () -> c.requireNode("main", "w1")).getMessage()
        .contains("[coord, worker-1]"));
  }

  @Test
  void locatesTheFileFromOptionThenEnvironmentThenDefault() {
    assertEquals(Path.of("a.yaml"), loader(Map.of("TIDEMARK_CONFIG", "b.yaml")).locate("a.yaml"));
    assertEquals(Path.of("b.yaml"), loader(Map.of("TIDEMARK_CONFIG", "b.yaml")).locate(null));
    assertEquals(Path.of("tidemark.yaml"), loader(Map.of()).locate(null));
    ConfigException e = assertThrows(ConfigException.class, () -> loader(Map.of()).load(Path.of("/nonexistent/t.yaml")));
    assertTrue(e.getMessage().contains("--config") && e.getMessage().contains("TIDEMARK_CONFIG"));
  }
}
