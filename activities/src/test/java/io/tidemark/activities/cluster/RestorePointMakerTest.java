package io.tidemark.activities.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.failure.ApplicationFailure;
import io.tidemark.activities.config.ClusterSettings;
import io.tidemark.activities.config.ConfigLoader;
import io.tidemark.workflows.Failures;
import io.tidemark.workflows.model.RestorePoint;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The parts of making a restore point that need no server; the postgres flavor runs end to end. */
class RestorePointMakerTest {

  static final ClusterSettings GREENPLUM = new ConfigLoader(Map.<String, String>of()::get).parse("""
      repository:
        local:
          path: /x
      clusters:
        gp:
          flavor: greenplum
          nodes:
            - name: coord
              contentId: -1
              dataDirectory: /d
            - name: seg0
              contentId: 0
              dataDirectory: /d
      """, "t").requireCluster("gp");

  @Test
  void everyAttemptHasANameOfItsOwn() {
    assertEquals("tidemark-20261121-100000F", RestorePointMaker.nameFor("tidemark-20261121-100000F", 1));
    assertEquals("tidemark-20261121-100000F-2", RestorePointMaker.nameFor("tidemark-20261121-100000F", 2));
  }

  @Test
  void greenplumsAnswersAreMatchedToNodesByContentId() {
    List<RestorePoint.Node> nodes = RestorePointMaker.byContentId(GREENPLUM, Map.of(-1, "0/5000090", 0, "0/3000028"),
        Map.of(-1, "000000010000000000000005", 0, "000000030000000000000003"));
    assertEquals(List.of(new RestorePoint.Node("coord", "0/5000090", 1, "000000010000000000000005"),
        new RestorePoint.Node("seg0", "0/3000028", 3, "000000030000000000000003")), nodes);

    ApplicationFailure f = assertThrows(ApplicationFailure.class, () -> RestorePointMaker.byContentId(GREENPLUM,
        Map.of(-1, "0/5000090", 1, "0/3000028"), Map.of(-1, "000000010000000000000005", 1, "000000010000000000000003")));
    assertTrue(f.getOriginalMessage().contains("node seg0 is configured as contentId 0"), f.getOriginalMessage());
  }

  @Test
  void missingRightsAreTheConfigurationsToFixOtherErrorsAreRetried() {
    var node = GREENPLUM.coordinator();
    ApplicationFailure denied = RestorePointMaker.failure(node, "making restore point x",
        new SQLException("permission denied for function pg_create_restore_point", "42501"));
    assertTrue(denied.isNonRetryable());
    assertTrue(denied.getOriginalMessage().contains("GRANT EXECUTE ON FUNCTION pg_create_restore_point(text)"));
    ApplicationFailure lock = RestorePointMaker.failure(node, "making restore point x",
        new SQLException("canceling statement due to lock timeout", "55P03"));
    assertEquals(Failures.RESTORE_POINT_FAILED, lock.getType());
    assertTrue(!lock.isNonRetryable());
  }
}
