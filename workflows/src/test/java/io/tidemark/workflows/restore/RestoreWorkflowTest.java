package io.tidemark.workflows.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.activity.Activity;
import io.temporal.client.ActivityCompletionException;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.WorkerOptions;
import io.tidemark.workflows.Failures;
import io.tidemark.workflows.TaskQueues;
import io.tidemark.workflows.activities.ClusterActivities;
import io.tidemark.workflows.activities.NodeRestoreActivities;
import io.tidemark.workflows.model.BackupRecord;
import io.tidemark.workflows.model.NodeBackupRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The restore workflows' orchestration, with fake activities. */
@Timeout(90)
class RestoreWorkflowTest {

  static final NodeBackupRecord NODE = new NodeBackupRecord("pg1", BackupRecord.COMPLETED, null, 1, 170002, "7", 1,
      "0/2000028", "0/3000100", "000000010000000000000002", "000000010000000000000003", 16L << 20, "2026-11-21T10:00:00Z",
      "2026-11-21T10:01:00Z", 40, 4000, 400, 6, true, false, 0, null);
  static final BackupRecord BACKUP = new BackupRecord(1, "20261121-100000F", "main", "full", null, BackupRecord.COMPLETED,
      null, "2026-11-21T10:00:00Z", "2026-11-21T10:01:00Z", 60_000, "w", List.of(NODE));

  final List<String> calls = Collections.synchronizedList(new ArrayList<>());
  final AtomicInteger fetching = new AtomicInteger();
  volatile Integer failingBatch;
  TestWorkflowEnvironment env;

  final class Agent implements NodeRestoreActivities {
    @Override
    public void prepareRestore(PrepareRestoreInput in) {
      calls.add("PrepareRestore " + in.dataDirectory());
    }

    @Override
    public FetchResult fetchFiles(FetchFilesInput in) {
      fetching.incrementAndGet();
      try {
        for (int i = 0; i < 100; i++) {
          if (failingBatch != null && failingBatch == in.batch() && i == 5) {
            throw ApplicationFailure.newNonRetryableFailure("stored copy of base/1/1259 is damaged", Failures.CORRUPT_BACKUP);
          }
          Activity.getExecutionContext().heartbeat(i);
          Thread.sleep(failingBatch == null ? 2 : 20);
        }
        calls.add("FetchFiles " + in.batch());
        return new FetchResult(in.batch(), 10, 100, 0);
      } catch (ActivityCompletionException cancelled) {
        calls.add("FetchFiles " + in.batch() + " cancelled");
        throw cancelled;
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      } finally {
        fetching.decrementAndGet();
      }
    }

    @Override
    public void writeRecoveryConfig(RecoveryConfigInput in) {
      calls.add("WriteRecoveryConfig " + in.target().kind() + " " + in.action());
    }

    @Override
    public ReplayResult replayWal(ReplayWalInput in) {
      calls.add("ReplayWal");
      return new ReplayResult("promoted", "0/3000200", 2, "2026-11-21 10:00:59+00");
    }
  }

  final class Cluster implements ClusterActivities {
    @Override
    public RestorePlan resolveRestore(RestoreRequest request) {
      return new RestorePlan(BACKUP, List.of("agent-queue"));
    }

    @Override
    public ClusterSpec describeCluster(DescribeClusterInput input) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean acquireBackupLock(BackupLock lock) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void releaseBackupLock(BackupLock lock) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void commitBackup(BackupRecord record) {
      throw new UnsupportedOperationException();
    }
  }

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance();
    env.newWorker(TaskQueues.SHARED).registerWorkflowImplementationTypes(ClusterRestoreWorkflowImpl.class,
        NodeRestoreWorkflowImpl.class);
    env.getWorkerFactory().getWorker(TaskQueues.SHARED).registerActivitiesImplementations(new Cluster());
    env.newWorker("agent-queue", WorkerOptions.newBuilder().setMaxHeartbeatThrottleInterval(Duration.ofMillis(100)).build())
        .registerActivitiesImplementations(new Agent());
    env.start();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private RestoreResult restore() {
    ClusterRestoreWorkflow wf = env.getWorkflowClient().newWorkflowStub(ClusterRestoreWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.SHARED).setWorkflowId("restore-test").build());
    return wf.restore(new RestoreRequest("main", null, RecoveryTarget.atLsn("0/4000000"), null, null, "promote", null, 2,
        List.of(NodeTarget.of("pg1", "/srv/r", 5433))));
  }

  @Test
  void preparesFetchesEveryBatchConfiguresAndReplays() {
    RestoreResult result = restore();
    assertEquals("20261121-100000F", result.backupId());
    NodeRestoreResult node = result.nodes().get(0);
    assertEquals("promoted", node.state());
    assertEquals(2, node.timeline());
    assertEquals(60, node.files());
    assertEquals("PrepareRestore /srv/r", calls.get(0));
    assertEquals(List.of("WriteRecoveryConfig lsn promote", "ReplayWal"), calls.subList(7, 9));
    assertEquals(6, calls.stream().filter(c -> c.startsWith("FetchFiles")).count());
  }

  @Test
  void aFailedBatchStopsTheOthersBeforeTheFailureIsReportedAndRecoveryNeverStarts() {
    failingBatch = 0;
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class, this::restore);
    assertEquals(0, fetching.get(), "no batch is still writing when the failure is reported");
    assertTrue(calls.contains("FetchFiles 1 cancelled"), calls.toString());
    assertFalse(calls.stream().anyMatch(c -> c.startsWith("WriteRecoveryConfig") || c.equals("ReplayWal")), calls.toString());
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    assertEquals(Failures.CORRUPT_BACKUP, ((ApplicationFailure) root).getType());
  }
}
