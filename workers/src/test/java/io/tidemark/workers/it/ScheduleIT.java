package io.tidemark.workers.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.tidemark.workflows.WorkflowIds;
import io.tidemark.workflows.model.BackupRecord;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Operators' ways in, against the standalone test server and a real worker: a schedule (the cron
 * fallback, since the test server has no Schedules API), and a workflow started as the Temporal
 * UI starts it with a misspelled field. The scheduled runs themselves are covered on skipped time
 * in ScheduledBackupTest.
 */
class ScheduleIT {

  @Test
  void aScheduleFallsBackToACronWorkflowAndIsDeletedAgain() throws Exception {
    try (TestSetup setup = new TestSetup("schedule")) {
      setup.node("main", new TestSetup.Node("n1", 5999, Path.of("/nonexistent"), null, null)).startWorker();
      BadInputIT.Run made = BadInputIT.tidemark(setup.configFile, "schedule", "--cluster", "main", "--cron", "0 3 * * *",
          "--parallelism", "2");
      assertEquals(0, made.status(), made.err());
      assertTrue(made.out().contains("no Schedules API") && made.out().contains("ScheduledBackup"), made.out());
      String id = WorkflowIds.schedule("main");
      assertEquals("ScheduledBackup",
          setup.client().newUntypedWorkflowStub(id).describe().getWorkflowType());

      BadInputIT.Run again = BadInputIT.tidemark(setup.configFile, "schedule", "--cluster", "main", "--cron", "0 4 * * *");
      assertEquals(2, again.status());
      assertTrue(again.err().contains("has a schedule already") && again.err().contains("--delete"), again.err());

      BadInputIT.Run badOption = BadInputIT.tidemark(setup.configFile, "schedule", "--cluster", "main", "--cron",
          "0 5 * * *", "--parallelism", "0");
      assertEquals(2, badOption.status());
      assertTrue(badOption.err().contains("option 'parallelism'"), badOption.err());

      BadInputIT.Run deleted = BadInputIT.tidemark(setup.configFile, "schedule", "--cluster", "main", "--delete");
      assertEquals(0, deleted.status(), deleted.err());
      BadInputIT.Run gone = BadInputIT.tidemark(setup.configFile, "schedule", "--cluster", "main", "--delete");
      assertEquals(2, gone.status());
      assertTrue(gone.err().contains("there is no schedule " + id), gone.err());
    }
  }

  @Test
  void aMisspelledFieldFromTheUiFailsTheWorkflowAtOnceNamingIt() throws Exception {
    try (TestSetup setup = new TestSetup("strict-input")) {
      setup.node("main", new TestSetup.Node("n1", 5999, Path.of("/nonexistent"), null, null)).startWorker();
      WorkflowStub byName = setup.startUntyped("ui-typo", Map.of("cluster", "main", "paralelism", 8));
      WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> byName.getResult(BackupRecord.class));
      String message = ((ApplicationFailure) e.getCause()).getOriginalMessage();
      assertTrue(message.contains("unknown field 'paralelism'") && message.contains("parallelism, label"), message);
    }
  }
}
