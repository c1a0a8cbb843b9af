package io.tidemark.workflows.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.converter.DataConverter;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.workflow.Workflow;
import io.tidemark.workflows.TaskQueues;
import io.tidemark.workflows.WorkflowIds;
import io.tidemark.workflows.backup.BackupProgress;
import io.tidemark.workflows.backup.BackupRequest;
import io.tidemark.workflows.backup.ClusterBackupWorkflow;
import io.tidemark.workflows.backup.NodeBackupProgress;
import io.tidemark.workflows.json.StrictInputs;
import io.tidemark.workflows.model.BackupRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The cron fallback of scheduled backups, on the SDK's test environment with skipped time. */
@Timeout(60)
class ScheduledBackupTest {

  /** Start and end (workflow time, ms) of every backup the fake ClusterBackup ran. */
  static final List<long[]> BACKUPS = Collections.synchronizedList(new ArrayList<>());

  /** A ClusterBackup that takes {@code label} minutes (20 if none) and records when it ran. */
  public static class TimedBackup implements ClusterBackupWorkflow {
    @Override
    public BackupRecord backup(BackupRequest request) {
      long start = Workflow.currentTimeMillis();
      Workflow.sleep(Duration.ofMinutes(request.label() == null ? 20 : Long.parseLong(request.label())));
      BACKUPS.add(new long[] {start, Workflow.currentTimeMillis()});
      return new BackupRecord(BackupRecord.FORMAT, "b" + start, request.cluster(), "full", null, BackupRecord.COMPLETED,
          null, null, null, 0, Workflow.getInfo().getWorkflowId(), List.of());
    }

    @Override
    public BackupProgress progress() {
      return null;
    }

    @Override
    public void nodeProgress(NodeBackupProgress progress) {}
  }

  TestWorkflowEnvironment env;
  DataConverter converter = StrictInputs.dataConverter();

  @BeforeEach
  void setUp() {
    BACKUPS.clear();
    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
        .setWorkflowClientOptions(WorkflowClientOptions.newBuilder().setDataConverter(converter).build())
        .build());
    env.newWorker(TaskQueues.SHARED).registerWorkflowImplementationTypes(StrictInputs.implementationOptions(),
        ScheduledBackupWorkflowImpl.class, TimedBackup.class);
    env.start();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private WorkflowStub startSchedule(String cron) {
    ScheduledBackupWorkflow schedule = env.getWorkflowClient().newWorkflowStub(ScheduledBackupWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.SHARED).setWorkflowId(WorkflowIds.schedule("main"))
            .setCronSchedule(cron).build());
    WorkflowClient.start(schedule::run, BackupRequest.of("main"));
    return WorkflowStub.fromTyped(schedule);
  }

  @Test
  void aBackupRunsAtEveryCronTime() {
    WorkflowStub schedule = startSchedule("0 * * * *");
    env.sleep(Duration.ofHours(3).plusMinutes(30));
    keep(env.getWorkflowClient().fetchHistory(WorkflowIds.schedule("main"), schedule.getExecution().getRunId()),
        "scheduled-backup.json");
    assertTrue(BACKUPS.size() >= 3 && BACKUPS.size() <= 4, "one backup an hour: " + BACKUPS.size());
    for (int i = 1; i < BACKUPS.size(); i++) {
      long gap = BACKUPS.get(i)[0] - BACKUPS.get(i - 1)[0];
      assertEquals(Duration.ofHours(1).toMillis(), gap, 60_000, "an hour apart");
    }
  }

  @Test
  void aRunThatFindsABackupRunningSkipsAndSaysWhy() {
    // A manual backup of two and a half hours, under the id every backup of the cluster takes.
    ClusterBackupWorkflow manual = env.getWorkflowClient().newWorkflowStub(ClusterBackupWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.SHARED).setWorkflowId(WorkflowIds.backup("main")).build());
    WorkflowClient.start(manual::backup, new BackupRequest("main", null, null, "150", null, null, null));
    WorkflowStub schedule = startSchedule("0 * * * *");
    String firstRun = schedule.getExecution().getRunId();
    env.sleep(Duration.ofHours(4).plusMinutes(30));

    var history = env.getWorkflowClient().fetchHistory(WorkflowIds.schedule("main"), firstRun);
    keep(history, "scheduled-backup-skipped.json");
    List<HistoryEvent> events = history.getEvents();
    HistoryEvent end = events.get(events.size() - 1);
    assertEquals(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW, end.getEventType(),
        "a cron run ends by starting the next one");
    ScheduledBackupRun first = converter.fromPayloads(0,
        java.util.Optional.of(end.getWorkflowExecutionContinuedAsNewEventAttributes().getLastCompletionResult()),
        ScheduledBackupRun.class, ScheduledBackupRun.class);
    assertEquals(ScheduledBackupRun.SKIPPED, first.outcome(), first.toString());
    assertTrue(first.error().contains("tidemark-backup-main"), first.error());
    for (int i = 1; i < BACKUPS.size(); i++) {
      assertTrue(BACKUPS.get(i)[0] >= BACKUPS.get(i - 1)[1], "backups of a cluster never overlap");
    }
    assertTrue(BACKUPS.size() >= 2, "the schedule went on after the skipped run: " + BACKUPS.size());
  }

  /** Fresh histories for workflows/src/test/resources/histories, which ReplayTest replays. */
  static void keep(io.temporal.common.WorkflowExecutionHistory history, String file) {
    try {
      java.nio.file.Path dir = java.nio.file.Path.of("target", "histories");
      java.nio.file.Files.createDirectories(dir);
      java.nio.file.Files.writeString(dir.resolve(file), history.toJson(true));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
