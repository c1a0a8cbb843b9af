package io.tidemark.workflows.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AfterRestoreSqlTest {

  @Test
  void fillsInEachNodesNewAndOldPlace() {
    Map<String, String> values = new HashMap<>(AfterRestoreSql.sourceValues("seg1", "10.0.0.5", 5432));
    values.putAll(AfterRestoreSql.targetValues(new NodeTarget("seg1", "/r/seg1", 7001, null, null, null, "db-7")));
    values.putAll(AfterRestoreSql.targetValues(NodeTarget.of("seg2", "/r/seg2", 7002)));
    List<String> out = AfterRestoreSql.substitute(List.of(
        "SELECT citus_update_node(nodeid, '${seg1.host}', ${seg1.port}) FROM pg_dist_node"
            + " WHERE nodename = '${seg1.sourceHost}' AND nodeport = ${seg1.sourcePort}",
        "COMMENT ON DATABASE postgres IS '${seg2.host}:${seg2.port} ${seg2.dataDirectory}'",
        "SELECT '$' || 'no placeholder'"), values);
    assertEquals(List.of(
        "SELECT citus_update_node(nodeid, 'db-7', 7001) FROM pg_dist_node WHERE nodename = '10.0.0.5' AND nodeport = 5432",
        "COMMENT ON DATABASE postgres IS 'localhost:7002 /r/seg2'",
        "SELECT '$' || 'no placeholder'"), out);
  }

  @Test
  void aPlaceholderForNoNodeOrNoFieldIsNamed() {
    IllegalArgumentException node = assertThrows(IllegalArgumentException.class,
        () -> AfterRestoreSql.check(List.of("SELECT ${seg3.port}"), List.of("coord", "seg1")));
    assertTrue(node.getMessage().contains("${seg3.port}") && node.getMessage().contains("[coord, seg1]"), node.getMessage());
    IllegalArgumentException field = assertThrows(IllegalArgumentException.class,
        () -> AfterRestoreSql.check(List.of("SELECT ${seg1.address}"), List.of("coord", "seg1")));
    assertTrue(field.getMessage().contains("FIELD one of [host, port, dataDirectory, sourceHost, sourcePort]"),
        field.getMessage());
    AfterRestoreSql.check(List.of("SELECT ${seg1.sourcePort}"), List.of("seg1"));
  }
}
