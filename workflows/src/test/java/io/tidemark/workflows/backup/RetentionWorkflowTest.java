package io.tidemark.workflows.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.tidemark.workflows.Failures;
import io.tidemark.workflows.TaskQueues;
import io.tidemark.workflows.json.StrictInputs;
import io.tidemark.workflows.retention.ClusterRetentionWorkflow;
import io.tidemark.workflows.retention.ClusterRetentionWorkflowImpl;
import io.tidemark.workflows.retention.RetentionRequest;
import io.tidemark.workflows.retention.RetentionResult;
import io.tidemark.workflows.schedule.ScheduledRetentionWorkflow;
import io.tidemark.workflows.schedule.ScheduledRetentionWorkflowImpl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** ClusterRetention's orchestration and its cron wrapper, on the SDK's test environment with fake activities. */
@Timeout(60)
class RetentionWorkflowTest {

  private TestWorkflowEnvironment env;
  private final FakeActivities fake = new FakeActivities();

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
        .setWorkflowClientOptions(WorkflowClientOptions.newBuilder().setDataConverter(StrictInputs.dataConverter()).build())
        .build());
    env.newWorker(TaskQueues.SHARED).registerWorkflowImplementationTypes(StrictInputs.implementationOptions(),
        ClusterRetentionWorkflowImpl.class, ScheduledRetentionWorkflowImpl.class);
    env.newWorker(TaskQueues.SHARED).registerActivitiesImplementations(fake.cluster, fake.retention);
    env.start();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private <T> T stub(Class<T> type, String id) {
    return env.getWorkflowClient().newWorkflowStub(type,
        WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.SHARED).setWorkflowId(id).build());
  }

  @Test
  void expiresBackupsThenWalUnderTheBackupLock() {
    RetentionResult result = stub(ClusterRetentionWorkflow.class, "r1").expire(new RetentionRequest("main", 1, null, null));

    assertEquals(List.of("AcquireBackupLock retention", "PlanRetention main", "ExpireBackup b1", "ExpireBackup b2",
        "ExpireWal n1 before W3", "ReleaseBackupLock retention"), fake.calls);
    assertNull(result.skipped());
    assertFalse(result.dryRun());
    assertEquals(List.of("b3"), result.kept());
    assertEquals(3 + 3 + 5, result.objectsDeleted());
    assertEquals(300 + 300 + 500, result.bytesFreed());
    replays("r1");
  }

  /** The run's own history replays on the code (the golden histories in ReplayTest guard older code's). */
  private void replays(String workflowId) {
    try {
      WorkflowExecutionHistory history = env.getWorkflowClient().fetchHistory(workflowId);
      WorkflowReplayer.replayWorkflowExecution(history, ClusterRetentionWorkflowImpl.class,
          ScheduledRetentionWorkflowImpl.class);
      Path saved = Path.of("target", "histories", workflowId + ".json");
      Files.createDirectories(saved.getParent());
      Files.writeString(saved, history.toJson(true));
    } catch (Exception e) {
      throw new AssertionError("history of " + workflowId + " does not replay", e);
    }
  }

  @Test
  void aDryRunAsksEveryStepToOnlyCount() {
    RetentionResult result = stub(ClusterRetentionWorkflow.class, "r2").expire(new RetentionRequest("main", null, 7, true));
    assertTrue(result.dryRun());
    assertTrue(fake.calls.containsAll(List.of("PlanRetention main dry", "ExpireBackup b1 dry", "ExpireWal n1 before W3 dry")),
        fake.calls.toString());
  }

  @Test
  void aRunThatFindsABackupRunningIsSkipped() {
    fake.lockHeldBy = "backup 20261121-010000F";
    RetentionResult result = stub(ClusterRetentionWorkflow.class, "r3").expire(RetentionRequest.of("main"));
    assertTrue(result.skipped().contains("already running"), result.skipped());
    assertEquals(List.of("AcquireBackupLock retention"), fake.calls);
  }

  @Test
  void badInputFailsAtOnceNamingTheField() {
    WorkflowFailedException zero = assertThrows(WorkflowFailedException.class,
        () -> stub(ClusterRetentionWorkflow.class, "r4").expire(new RetentionRequest("main", 0, null, null)));
    ApplicationFailure cause = (ApplicationFailure) zero.getCause();
    assertEquals(Failures.INVALID_REQUEST, cause.getType());
    assertTrue(cause.getOriginalMessage().contains("field 'full'"), cause.getOriginalMessage());

    WorkflowStub untyped = env.getWorkflowClient().newUntypedWorkflowStub(ClusterRetentionWorkflow.TYPE,
        WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.SHARED).setWorkflowId("r5").build());
    untyped.start(Map.of("cluster", "main", "ful", 3));
    WorkflowFailedException typo = assertThrows(WorkflowFailedException.class, () -> untyped.getResult(RetentionResult.class));
    String message = ((ApplicationFailure) typo.getCause()).getOriginalMessage();
    assertTrue(message.contains("unknown field 'ful'") && message.contains("recoveryWindowDays"), message);
    assertEquals(List.of(), fake.calls, "nothing was touched");
  }

  @Test
  void aScheduledRunThatFailsEndsNormallySoTheCronGoesOn() {
    fake.retention.planFails = true;
    RetentionResult result = stub(ScheduledRetentionWorkflow.class, "s1").run(RetentionRequest.of("main"));
    assertTrue(result.skipped().startsWith("failed: ") && result.skipped().contains("the repository said no"),
        result.skipped());
    assertTrue(fake.calls.contains("ReleaseBackupLock retention"), "the lock is released after a failure");
    replays("s1");
  }
}
