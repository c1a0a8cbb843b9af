package io.tidemark.workflows.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.activity.Activity;
import io.temporal.client.ActivityCompletionException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.WorkerOptions;
import io.tidemark.workflows.Failures;
import io.tidemark.workflows.TaskQueues;
import io.tidemark.workflows.activities.ClusterActivities;
import io.tidemark.workflows.activities.NodeRestoreActivities;
import io.tidemark.workflows.json.StrictInputs;
import io.tidemark.workflows.model.BackupRecord;
import io.tidemark.workflows.model.NodeBackupRecord;
import io.tidemark.workflows.model.RestorePoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The restore workflows' orchestration, with fake activities. */
@Timeout(90)
class RestoreWorkflowTest {

  static NodeBackupRecord node(String name) {
    return new NodeBackupRecord(name, BackupRecord.COMPLETED, null, 1, 170002, "7", 1, "0/2000028", "0/3000100",
        "000000010000000000000002", "000000010000000000000003", 16L << 20, "2026-11-21T10:00:00Z", "2026-11-21T10:01:00Z",
        40, 4000, 400, 6, true, false, 0, null, null);
  }

  static final BackupRecord BACKUP = new BackupRecord(1, "20261121-100000F", "main", "full", null, BackupRecord.COMPLETED,
      null, "2026-11-21T10:00:00Z", "2026-11-21T10:01:00Z", 60_000, "w", List.of(node("pg1")));

  static final RestorePoint POINT = new RestorePoint("tidemark-20261121-100000F", "postgres", "2026-11-21T10:01:01Z",
      List.of(new RestorePoint.Node("coord", "0/4000090", 1, "000000010000000000000004"),
          new RestorePoint.Node("seg1", "0/4000090", 1, "000000010000000000000004"),
          new RestorePoint.Node("seg2", "0/4000090", 1, "000000010000000000000004")));

  static final BackupRecord CLUSTER_BACKUP = new BackupRecord(1, "20261121-100000F", "main", "full", null,
      BackupRecord.COMPLETED, null, "2026-11-21T10:00:00Z", "2026-11-21T10:01:00Z", 60_000, "w",
      List.of(node("coord"), node("seg1"), node("seg2")), POINT);

  final List<String> calls = Collections.synchronizedList(new ArrayList<>());
  final AtomicInteger fetching = new AtomicInteger();
  final Set<String> unwritable = ConcurrentHashMap.newKeySet();
  volatile Integer failingBatch;
  volatile RestorePlan plan = new RestorePlan(BACKUP, List.of("agent-queue"));
  TestWorkflowEnvironment env;

  record RestorePlan(BackupRecord backup, List<String> queues) {}

  final class Agent implements NodeRestoreActivities {
    @Override
    public void prepareRestore(PrepareRestoreInput in) {
      calls.add("PrepareRestore " + in.node() + " " + in.dataDirectory());
      if (unwritable.contains(in.dataDirectory())) {
        throw ApplicationFailure.newNonRetryableFailure("permission denied at " + in.dataDirectory(),
            Failures.TARGET_UNWRITABLE);
      }
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
        calls.add("FetchFiles " + in.node() + " " + in.batch());
        return new FetchResult(in.batch(), 10, 100, 0);
      } catch (ActivityCompletionException cancelled) {
        calls.add("FetchFiles " + in.node() + " " + in.batch() + " cancelled");
        throw cancelled;
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      } finally {
        fetching.decrementAndGet();
      }
    }

    @Override
    public void writeRecoveryConfig(RecoveryConfigInput in) {
      calls.add("WriteRecoveryConfig " + in.node() + " " + in.target().kind() + " " + in.action()
          + (in.target().name() == null ? "" : " " + in.target().name()));
    }

    @Override
    public ReplayResult replayWal(ReplayWalInput in) {
      calls.add("ReplayWal " + in.node());
      return new ReplayResult("promoted", "0/3000200", 2, "2026-11-21 10:00:59+00");
    }

    @Override
    public void runSql(RunSqlInput in) {
      calls.add("RunSql " + in.node() + " port " + in.port() + " on " + Activity.getExecutionContext().getInfo()
          .getActivityTaskQueue() + ": " + String.join("; ", in.statements()));
    }
  }

  final class Cluster implements ClusterActivities {
    @Override
    public ClusterActivities.RestorePlan resolveRestore(RestoreRequest request) {
      BackupRecord backup = plan.backup();
      RecoveryTarget target = request.target() != null ? request.target()
          : backup.restorePoint() != null ? RecoveryTarget.atName(backup.restorePoint().name()) : null;
      return new ClusterActivities.RestorePlan(backup, plan.queues(), target, "coord",
          backup.restorePoint() == null ? null : List.of("UPDATE nodes SET port = ${seg2.port} WHERE port = ${seg2.sourcePort}"),
          Map.of("seg2.sourcePort", "6002"));
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

    @Override
    public OpenPacks countOpenPacks(LostSession lost) {
      throw new UnsupportedOperationException();
    }
  }

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
        .setWorkflowClientOptions(WorkflowClientOptions.newBuilder().setDataConverter(StrictInputs.dataConverter()).build())
        .build());
    env.newWorker(TaskQueues.SHARED).registerWorkflowImplementationTypes(StrictInputs.implementationOptions(),
        ClusterRestoreWorkflowImpl.class, NodeRestoreWorkflowImpl.class, FetchFilesWindowWorkflowImpl.class);
    env.getWorkerFactory().getWorker(TaskQueues.SHARED).registerActivitiesImplementations(new Cluster());
    for (String queue : List.of("agent-queue", "agent-2")) {
      env.newWorker(queue, WorkerOptions.newBuilder().setMaxHeartbeatThrottleInterval(Duration.ofMillis(100)).build())
          .registerActivitiesImplementations(new Agent());
    }
    env.start();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private ClusterRestoreWorkflow stub(String id) {
    return env.getWorkflowClient().newWorkflowStub(ClusterRestoreWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.SHARED).setWorkflowId(id).build());
  }

  private RestoreResult restore() {
    return stub("restore-test").restore(new RestoreRequest("main", null, RecoveryTarget.atLsn("0/4000000"), null, null,
        "promote", null, 2, List.of(NodeTarget.of("pg1", "/srv/r", 5433))));
  }

  /** Starts a restore of the three-node backup, every node on agent-queue. */
  private ClusterRestoreWorkflow startClusterRestore() {
    plan = new RestorePlan(CLUSTER_BACKUP, List.of("agent-queue", "agent-queue", "agent-queue"));
    ClusterRestoreWorkflow wf = stub("restore-cluster");
    WorkflowClient.start(wf::restore, new RestoreRequest("main", null, null, null, null, "promote", null, 2,
        List.of(NodeTarget.of("coord", "/r/coord", 7000), NodeTarget.of("seg1", "/r/seg1", 7001),
            NodeTarget.of("seg2", "/r/seg2", 7002))));
    return wf;
  }

  private static RestoreStatus await(ClusterRestoreWorkflow wf, Predicate<RestoreStatus> condition) throws Exception {
    for (int i = 0; i < 600; i++) {
      RestoreStatus s = wf.status();
      if (condition.test(s)) {
        return s;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("never reached: " + wf.status());
  }

  private static NodeStatus node(RestoreStatus s, String name) {
    return s.nodes().stream().filter(n -> n.node().equals(name)).findFirst().orElseThrow();
  }

  private long count(String prefix) {
    return calls.stream().filter(c -> c.startsWith(prefix)).count();
  }

  private static ApplicationFailure rootOf(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return (ApplicationFailure) root;
  }

  @Test
  void preparesFetchesEveryBatchConfiguresAndReplays() {
    RestoreResult result = restore();
    assertEquals("20261121-100000F", result.backupId());
    NodeRestoreResult node = result.nodes().get(0);
    assertEquals("promoted", node.state());
    assertEquals(2, node.timeline());
    assertEquals(60, node.files());
    assertEquals("PrepareRestore pg1 /srv/r", calls.get(0));
    assertEquals(List.of("WriteRecoveryConfig pg1 lsn promote", "ReplayWal pg1"), calls.subList(7, 9));
    assertEquals(6, count("FetchFiles"));
    assertEquals(null, result.afterRestore(), "this cluster has no afterRestore SQL");
  }

  @Test
  void aMisspelledFieldInsideANodeTargetFailsTheRestoreAtOnceWithItsPath() {
    WorkflowStub stub = env.getWorkflowClient().newUntypedWorkflowStub(ClusterRestoreWorkflow.TYPE,
        WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.SHARED).setWorkflowId("restore-ui")
            .setWorkflowExecutionTimeout(Duration.ofMinutes(1)).build());
    stub.start(java.util.Map.of("cluster", "main", "nodes",
        List.of(java.util.Map.of("node", "pg1", "dataDirectory", "/srv/r", "prot", 5433))));
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> stub.getResult(RestoreResult.class));
    String message = rootOf(e).getOriginalMessage();
    assertTrue(message.contains("unknown field 'nodes[0].prot'"), message);
    assertTrue(message.contains("valid fields of nodes[0] are node, dataDirectory"), message);
    assertEquals(List.of(), calls, "nothing was done");
  }

  @Test
  void aFailedBatchStopsTheOthersBeforeTheFailureIsReportedAndALoneNodeFailsTheRestoreAtOnce() {
    failingBatch = 0;
    ClusterRestoreWorkflow wf = stub("restore-test");
    WorkflowClient.start(wf::restore, new RestoreRequest("main", null, RecoveryTarget.atLsn("0/4000000"), null, null,
        "promote", null, 2, List.of(NodeTarget.of("pg1", "/srv/r", 5433))));
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
        () -> WorkflowStub.fromTyped(wf).getResult(RestoreResult.class));
    assertEquals(0, fetching.get(), "no batch is still writing when the failure is reported");
    assertTrue(calls.contains("FetchFiles pg1 1 cancelled"), calls.toString());
    assertFalse(calls.stream().anyMatch(c -> c.startsWith("WriteRecoveryConfig") || c.startsWith("ReplayWal")),
        calls.toString());
    assertEquals(Failures.CORRUPT_BACKUP, rootOf(e).getType());
    assertTrue(e.getCause().getMessage().contains("node pg1") && e.getCause().getMessage().contains("base/1/1259 is damaged"),
        e.getCause().getMessage());
    assertEquals(NodeStatus.ABANDONED, node(wf.status(), "pg1").phase(), "nobody is asked to retry a lone node");
  }

  @Test
  void anAbandonedNodeFailsTheClusterRestoreWithItsError() throws Exception {
    unwritable.add("/r/seg2");
    ClusterRestoreWorkflow wf = startClusterRestore();
    await(wf, s -> s.phase().equals("waiting"));
    wf.abandonNode(new AbandonNodeRequest("seg2", "the disk is gone"));
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
        () -> WorkflowStub.fromTyped(wf).getResult(RestoreResult.class));
    assertTrue(e.getCause().getMessage().contains("node seg2") && e.getCause().getMessage().contains("abandoned: the disk"
        + " is gone"), e.getCause().getMessage());
    assertFalse(calls.stream().anyMatch(c -> c.startsWith("RunSql")), "no afterRestore SQL for an incomplete cluster");
  }

  @Test
  void aClusterIsRestoredToItsRestorePointAndTheAfterRestoreSqlRunsOnTheCoordinator() {
    ClusterRestoreWorkflow wf = startClusterRestore();
    RestoreResult result = WorkflowStub.fromTyped(wf).getResult(RestoreResult.class);
    assertEquals(RecoveryTarget.atName("tidemark-20261121-100000F"), result.target());
    for (String n : List.of("coord", "seg1", "seg2")) {
      assertTrue(calls.contains("WriteRecoveryConfig " + n + " name promote tidemark-20261121-100000F"), calls.toString());
    }
    assertEquals(List.of("RunSql coord port 7000 on agent-queue: UPDATE nodes SET port = 7002 WHERE port = 6002"),
        calls.stream().filter(c -> c.startsWith("RunSql")).toList());
    assertTrue(calls.indexOf("RunSql coord port 7000 on agent-queue: UPDATE nodes SET port = 7002 WHERE port = 6002")
        > calls.lastIndexOf("ReplayWal seg2"), "after every node is restored");
    assertEquals("ran 1 statement(s) on coord", result.afterRestore());
  }

  @Test
  void aFailedNodeWaitsWhileTheOthersFinishAndRetryNodeRedoesOnlyIt() throws Exception {
    unwritable.add("/r/seg2");
    ClusterRestoreWorkflow wf = startClusterRestore();
    RestoreStatus waiting = await(wf, s -> s.phase().equals("waiting")
        && node(s, "coord").phase().equals(NodeStatus.RESTORED) && node(s, "seg1").phase().equals(NodeStatus.RESTORED));
    NodeStatus seg2 = node(waiting, "seg2");
    assertEquals(NodeStatus.FAILED, seg2.phase());
    assertTrue(seg2.error().contains("permission denied at /r/seg2"), seg2.error());
    assertEquals(1, seg2.attempt());
    assertEquals(6, node(waiting, "seg1").batchesDone());

    // Only a failed node can be retried, and only one the restore has.
    WorkflowUpdateException notFailed = assertThrows(WorkflowUpdateException.class,
        () -> wf.retryNode(RetryNodeRequest.of("seg1")));
    assertTrue(rootOf(notFailed).getOriginalMessage().contains("node seg1 is restored; only a failed node can be retried"),
        rootOf(notFailed).getOriginalMessage());
    WorkflowUpdateException unknown = assertThrows(WorkflowUpdateException.class,
        () -> wf.retryNode(RetryNodeRequest.of("seg9")));
    assertTrue(rootOf(unknown).getOriginalMessage().contains("no node 'seg9'"));
    WorkflowUpdateException taken = assertThrows(WorkflowUpdateException.class,
        () -> wf.retryNode(new RetryNodeRequest("seg2", "/r/seg1", null, null)));
    assertTrue(rootOf(taken).getOriginalMessage().contains("node seg1 is restored into /r/seg1"));
    assertFalse(calls.stream().anyMatch(c -> c.startsWith("RunSql")), "no SQL while a node is missing");

    long fetchedBefore = count("FetchFiles");
    unwritable.clear();
    NodeStatus retried = wf.retryNode(new RetryNodeRequest("seg2", null, 7012, "agent-2"));
    assertEquals(2, retried.attempt());
    assertEquals("restore-cluster/seg2/attempt-2", retried.workflowId());

    RestoreResult result = WorkflowStub.fromTyped(wf).getResult(RestoreResult.class);
    assertEquals(6, count("FetchFiles") - fetchedBefore, "only seg2's six batches are fetched again");
    assertEquals(List.of("PrepareRestore seg2 /r/seg2", "PrepareRestore seg2 /r/seg2"),
        calls.stream().filter(c -> c.startsWith("PrepareRestore seg2")).toList());
    assertEquals(1, count("PrepareRestore seg1"));
    NodeRestoreResult seg2Result = result.nodes().get(2);
    assertEquals(7012, seg2Result.port());
    assertEquals("agent-2", seg2Result.taskQueue());
    assertTrue(calls.contains("RunSql coord port 7000 on agent-queue: UPDATE nodes SET port = 7012 WHERE port = 6002"),
        "the SQL sees where the node went on its retry: " + calls);
    assertEquals("completed", wf.status().phase());
  }
}
