package io.tidemark.workflows.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RestoreRequestTest {

  static final List<NodeTarget> ONE = List.of(NodeTarget.of("pg1", "/srv/r", 5433));

  @Test
  void fillsInDefaults() {
    RestoreRequest r = new RestoreRequest("main", null, null, null, null, null, null, null, ONE).validated();
    assertEquals("latest", r.backup());
    assertEquals(null, r.target(), "the backup decides: its restore point, or its end");
    assertEquals(true, r.inclusive());
    assertEquals("latest", r.timeline());
    assertEquals("pause", r.action());
    assertEquals("preserve", r.archive());
    assertEquals(4, r.parallelism());
  }

  @Test
  void aTargetIsExactlyOneWellFormedThing() {
    assertMessage(new RecoveryTarget(true, null, "2026-11-21 10:00:00+00", null, null, null), "exactly one", "[immediate, time]");
    assertMessage(new RecoveryTarget(null, null, null, null, null, null), "exactly one");
    assertMessage(RecoveryTarget.atXid("12a"), "'target.xid'");
    assertMessage(RecoveryTarget.atLsn("5000100"), "'target.lsn'");
    assertEquals("name", RecoveryTarget.atName("before-upgrade").kind());
  }

  private static void assertMessage(RecoveryTarget target, String... parts) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new RestoreRequest("main", null, target, null, null, null, null, null, ONE).validated());
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), e.getMessage());
    }
  }

  @Test
  void nodesAreCheckedOneByOne() {
    assertNodes(List.of(), "'nodes' is required");
    assertNodes(List.of(NodeTarget.of("pg1", "relative/dir", 5433)), "'nodes[0].dataDirectory' must be an absolute path");
    assertNodes(List.of(NodeTarget.of("pg1", "/a", 0)), "'nodes[0].port'");
    assertNodes(List.of(NodeTarget.of("pg1", "/a", 5433), NodeTarget.of("pg1", "/b", 5434)), "names node 'pg1' twice");
    assertNodes(List.of(NodeTarget.of("pg1", "/a", 5433), NodeTarget.of("pg2", "/a", 5434)), "two nodes into /a");
    assertNodes(List.of(NodeTarget.of("pg1", "/a", 5433).withSettings(Map.of("recovery_target_time", "x"))),
        "may not set 'recovery_target_time'");
    assertNodes(List.of(NodeTarget.of("pg1", "/a", 5433).withSettings(Map.of("Bad Name", "x"))), "not a setting name");
    assertNodes(List.of(new NodeTarget("pg1", "/a", 5433, null, null, null, "h'; DROP TABLE x")), "'nodes[0].host'");
  }

  private static void assertNodes(List<NodeTarget> nodes, String part) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new RestoreRequest("main", null, null, null, null, null, null, null, nodes).validated());
    assertTrue(e.getMessage().contains(part), e.getMessage());
  }

  @Test
  void otherFieldsNameTheirValidValues() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new RestoreRequest("main", null, null, null, "next", null,
        null, null, ONE).validated()).getMessage().contains("latest, current or a timeline number"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new RestoreRequest("main", null, null, null, null,
        "resume", null, null, ONE).validated()).getMessage().contains("[pause, promote, shutdown]"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new RestoreRequest("main", null, null, null, null, null,
        "on", null, ONE).validated()).getMessage().contains("[preserve, off]"));
  }
}
