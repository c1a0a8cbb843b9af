package io.tidemark.workflows.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.SearchAttributes;
import io.temporal.common.converter.RawValue;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.tidemark.workflows.Failures;
import io.tidemark.workflows.SearchTags;
import io.tidemark.workflows.TaskQueues;
import io.tidemark.workflows.activities.ClusterActivities.NodeSpec;
import io.tidemark.workflows.json.StrictInputs;
import io.tidemark.workflows.model.BackupRecord;
import io.tidemark.workflows.model.NodeBackupRecord;
import io.tidemark.workflows.model.RestorePoint;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The backup workflows' orchestration, on the SDK's test environment with fake activities. */
@Timeout(90)
class BackupWorkflowTest {

  private TestWorkflowEnvironment env;
  private int uiStarts;
  private FakeActivities fake;

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
        .setWorkflowClientOptions(WorkflowClientOptions.newBuilder().setDataConverter(StrictInputs.dataConverter()).build())
        .build());
    fake = new FakeActivities();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private void startWorkers(String... sessionQueues) {
    Worker shared = env.newWorker(TaskQueues.SHARED);
    shared.registerWorkflowImplementationTypes(StrictInputs.implementationOptions(), ClusterBackupWorkflowImpl.class, NodeBackupWorkflowImpl.class,
        SendFilesWindowWorkflowImpl.class);
    shared.registerActivitiesImplementations(fake.cluster, fake.retention);
    for (String nodeQueue : List.of("node-n1", "node-n2")) {
      env.newWorker(nodeQueue).registerActivitiesImplementations(fake.node, fake.coordinator);
    }
    for (String q : sessionQueues) {
      env.newWorker(q).registerActivitiesImplementations(fake.session);
    }
    env.start();
  }

  private ClusterBackupWorkflow workflow() {
    return env.getWorkflowClient().newWorkflowStub(ClusterBackupWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.SHARED).setWorkflowId("backup-test").build());
  }

  /** The root cause: the failure that started it all. */
  private static ApplicationFailure failureOf(WorkflowFailedException e) {
    ApplicationFailure deepest = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ApplicationFailure) {
        deepest = (ApplicationFailure) t;
      }
    }
    if (deepest == null) {
      throw new AssertionError("no application failure in " + e);
    }
    return deepest;
  }

  @Test
  void backsUpANodeInOrderWithBoundedParallelismAndPgControlLast() {
    startWorkers("session-queue");
    BackupRecord record = workflow().backup(new BackupRequest("main", null, 2, "nightly", null, null, null));

    assertEquals(BackupRecord.COMPLETED, record.status());
    assertTrue(record.id().matches("\\d{8}-\\d{6}F"), record.id());
    NodeBackupRecord node = record.nodes().get(0);
    assertEquals(1, node.session());
    assertEquals("0/2000028", node.startLsn());
    assertEquals("0/3000100", node.stopLsn());
    assertEquals(6 * 10, node.files());
    assertEquals(6 * 1000, node.bytes());
    assertEquals(List.of("DescribeCluster main", "AcquireBackupLock " + record.id(), "StartBackup n1 s1", "SendFileList s1",
        "StopBackup s1", "WaitForWal 000000010000000000000002..000000010000000000000003", "WriteManifest 6 batches",
        "CreateRestorePoint tidemark-" + record.id() + " on node-n1",
        "WaitForWal 000000010000000000000004..000000010000000000000004", "ReleaseBackupLock " + record.id()),
        fake.calls.stream().filter(c -> !c.startsWith("EndSession") && !c.startsWith("watcher")).toList());
    assertEquals("tidemark-" + record.id(), record.restorePoint().name());
    assertEquals("0/4000090", record.restorePoint().node("n1").orElseThrow().lsn());
    assertTrue(fake.maxInFlight.get() <= 2, "at most 'parallelism' batches at once, saw " + fake.maxInFlight.get());
    assertEquals(2, fake.maxInFlight.get(), "and it does use the parallelism it is given");
    assertEquals(List.of(), fake.violations);
    assertEquals(List.of(record), fake.committed);
    assertEquals(record.id(), fake.released.get(0).backupId());
  }

  @Test
  void aBackupOfAClusterWithARetentionPolicyExpiresOldBackupsUnderItsLockAfterCommitting() {
    fake.cluster.retentionPolicy = true;
    startWorkers("session-queue");
    BackupRecord record = workflow().backup(BackupRequest.of("main"));

    assertEquals(BackupRecord.COMPLETED, record.status());
    List<String> tail = fake.calls.stream().filter(c -> c.startsWith("PlanRetention") || c.startsWith("Expire")
        || c.startsWith("ReleaseBackupLock")).toList();
    assertEquals(List.of("PlanRetention main", "ExpireBackup b1", "ExpireBackup b2", "ExpireWal n1 before W3",
        "ReleaseBackupLock " + record.id()), tail, "backups first, then WAL, all before the lock is released");
    assertEquals(List.of(record), fake.committed, "committed before anything is expired");
  }

  @Test
  void aRetentionThatFailsLeavesTheBackupCompleted() {
    fake.cluster.retentionPolicy = true;
    fake.retention.planFails = true;
    startWorkers("session-queue");
    BackupRecord record = workflow().backup(BackupRequest.of("main"));

    assertEquals(BackupRecord.COMPLETED, record.status());
    assertTrue(fake.calls.contains("PlanRetention main"));
    assertFalse(fake.calls.stream().anyMatch(c -> c.startsWith("ExpireBackup")));
    assertEquals(record.id(), fake.released.get(0).backupId());
  }

  @Test
  void aClusterWithoutAPolicyExpiresNothing() {
    startWorkers("session-queue");
    workflow().backup(BackupRequest.of("main"));
    assertFalse(fake.calls.stream().anyMatch(c -> c.startsWith("PlanRetention")));
  }

  @Test
  void aLostSessionStartsANewOneAndTheBackupCompletes() {
    fake.batchMillis = 300;
    fake.watcherFails = session -> session == 1;
    startWorkers("session-queue");
    BackupRecord record = workflow().backup(BackupRequest.of("main"));

    assertEquals(BackupRecord.COMPLETED, record.status());
    assertEquals(2, record.nodes().get(0).session());
    assertTrue(fake.calls.contains("StartBackup n1 s2"));
    assertFalse(fake.calls.contains("StopBackup s1"), "the lost session is never stopped");
    assertTrue(fake.calls.contains("StopBackup s2"));
  }

  @Test
  void whatALostSessionHadInOpenPacksCountsAsSentAgainInTheRecordAndTheProgress() {
    fake.batchMillis = 300;
    fake.watcherFails = session -> session <= 2;
    fake.openPackBytes = session -> session * 1000L;
    startWorkers("session-queue");
    ClusterBackupWorkflow workflow = workflow();
    WorkflowClient.start(workflow::backup, BackupRequest.of("main"));
    BackupRecord record = WorkflowStub.fromTyped(workflow).getResult(BackupRecord.class);

    assertEquals(3, record.nodes().get(0).session());
    assertTrue(fake.calls.contains("CountOpenPacks n1 s1") && fake.calls.contains("CountOpenPacks n1 s2"), fake.calls.toString());
    assertFalse(fake.calls.contains("CountOpenPacks n1 s3"), "a session that was not lost is not counted");
    assertEquals(3000, record.nodes().get(0).reuse().resentBytes(), "both lost sessions' open packs");
    assertEquals(3000, workflow.progress().nodes().get(0).progress().reuse().resentBytes(), "the progress query says the same");
  }

  @Test
  void aSessionProcessThatDiesDuringStopBackupIsReplacedWithoutWaitingForStopBackupsTimeout() {
    fake.diesInStop = session -> session == 1;
    startWorkers("session-queue");
    BackupRecord record = workflow().backup(BackupRequest.of("main"));

    assertEquals(BackupRecord.COMPLETED, record.status());
    assertEquals(2, record.nodes().get(0).session());
    assertTrue(fake.calls.indexOf("StartBackup n1 s2") > fake.calls.indexOf("StopBackup s1"), fake.calls.toString());
    assertTrue(fake.calls.contains("StopBackup s2"));
  }

  @Test
  void aSessionWhoseProcessIsGoneIsNoticedByItsQueueGoingUnanswered() {
    fake.sessionQueue = session -> session == 1 ? "queue-of-a-dead-process" : "session-queue";
    startWorkers("session-queue");
    // The test server never skips time while an activity is scheduled: keep the real wait short.
    BackupRecord record = workflow().backup(new BackupRequest("main", null, null, null, null, null, 2));

    assertEquals(2, record.nodes().get(0).session());
    assertTrue(fake.calls.indexOf("StartBackup n1 s2") > fake.calls.indexOf("StartBackup n1 s1"));
  }

  @Test
  void givesUpAfterLosingTheSessionRepeatedly() {
    fake.batchMillis = 300;
    fake.watcherFails = session -> true;
    startWorkers("session-queue");
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> workflow().backup(BackupRequest.of("main")));
    String message = failureOf(e).getOriginalMessage();
    assertTrue(message.contains("lost its backup session " + NodeBackupWorkflowImpl.MAX_SESSIONS + " times")
        && message.contains("connection to node n1 broke"), message);
    assertEquals(BackupRecord.FAILED, fake.committed.get(0).status());
  }

  @Test
  void anInvalidRequestFailsAtOnceAndNamesTheField() {
    startWorkers();
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
        () -> workflow().backup(new BackupRequest("main", null, 0, null, null, null, null)));
    assertEquals(Failures.INVALID_REQUEST, failureOf(e).getType());
    assertTrue(failureOf(e).getOriginalMessage().contains("'parallelism'"));
    assertEquals(List.of(), fake.calls, "nothing was done");
  }

  /** Starts ClusterBackup as the Temporal UI does: by type name, one json/plain payload of the text typed. */
  private String failureOfStartAsTheUiDoes(String json) {
    WorkflowStub stub = env.getWorkflowClient().newUntypedWorkflowStub(ClusterBackupWorkflow.TYPE,
        WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.SHARED).setWorkflowId("backup-ui-" + (++uiStarts))
            .setWorkflowExecutionTimeout(java.time.Duration.ofMinutes(1)).build());
    stub.start(new RawValue(Payload.newBuilder()
        .putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
        .setData(ByteString.copyFromUtf8(json)).build()));
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> stub.getResult(BackupRecord.class));
    assertEquals(List.of(), fake.calls, "nothing was done");
    return failureOf(e).getOriginalMessage();
  }

  @Test
  void aMisspelledFieldFailsTheWorkflowAtOnceNamingItAndTheValidOnes() {
    startWorkers();
    String message = failureOfStartAsTheUiDoes("{\"cluster\": \"main\", \"paralelism\": 8}");
    assertTrue(message.contains("unknown field 'paralelism'"), message);
    assertTrue(message.contains("cluster, type, parallelism, label, checkpoint"), message);
  }

  @Test
  void aWrongTypeOrMalformedJsonFailsTheWorkflowAtOnceNamingTheField() {
    startWorkers();
    String wrongType = failureOfStartAsTheUiDoes("{\"cluster\": \"main\", \"parallelism\": \"eight\"}");
    assertTrue(wrongType.contains("field 'parallelism' must be a whole number"), wrongType);
    String fraction = failureOfStartAsTheUiDoes("{\"cluster\": \"main\", \"parallelism\": 2.5}");
    assertTrue(fraction.contains("field 'parallelism' must be a whole number"), fraction);
    String malformed = failureOfStartAsTheUiDoes("{\"cluster\": \"main\",");
    assertTrue(malformed.contains("BackupRequest is not valid JSON"), malformed);
  }

  @Test
  void withSearchAttributesOnABackupCarriesItsClusterAndId() {
    env.registerSearchAttribute("TidemarkCluster", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    env.registerSearchAttribute("TidemarkBackupId", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    fake.cluster.searchAttributes = true;
    startWorkers("session-queue");
    BackupRecord record = workflow().backup(BackupRequest.of("main"));
    SearchAttributes tags = env.getWorkflowClient().newUntypedWorkflowStub("backup-test").describe()
        .getTypedSearchAttributes();
    assertEquals("main", tags.get(SearchTags.CLUSTER));
    assertEquals(record.id(), tags.get(SearchTags.BACKUP_ID));
  }

  @Test
  void withSearchAttributesOffNoneAreSet() {
    startWorkers("session-queue");
    workflow().backup(BackupRequest.of("main"));
    SearchAttributes tags = env.getWorkflowClient().newUntypedWorkflowStub("backup-test").describe()
        .getTypedSearchAttributes();
    assertFalse(tags.containsKey(SearchTags.CLUSTER), "off by default: the server may not know the attribute");
  }

  @Test
  void anUnknownClusterFailsBeforeAnythingIsLocked() {
    startWorkers();
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> workflow().backup(BackupRequest.of("nope")));
    assertEquals(Failures.UNKNOWN_CLUSTER, failureOf(e).getType());
    assertEquals(List.of("DescribeCluster nope"), fake.calls);
    assertEquals(List.of(), fake.committed);
  }

  @Test
  void aBackupAlreadyRunningIsRefused() {
    fake.lockHeldBy = "backup 20261121-090000F";
    startWorkers();
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> workflow().backup(BackupRequest.of("main")));
    assertEquals(Failures.BACKUP_IN_PROGRESS, failureOf(e).getType());
    assertFalse(fake.calls.stream().anyMatch(c -> c.startsWith("StartBackup")));
  }

  @Test
  void aBackupIdAlreadyUsedIsReplacedByALaterOne() {
    fake.idsTaken = 1;
    startWorkers("session-queue");
    BackupRecord record = workflow().backup(BackupRequest.of("main"));
    List<String> tried = fake.calls.stream().filter(c -> c.startsWith("AcquireBackupLock")).toList();
    assertEquals(2, tried.size());
    assertNotEquals(tried.get(0), tried.get(1));
    assertEquals("AcquireBackupLock " + record.id(), tried.get(1));
  }

  @Test
  void aNodeThatFailsCancelsItsSiblingsAndTheFailureIsRecordedPerNode() {
    fake.cluster.nodes = List.of(new NodeSpec("n1", "coordinator", "node-n1"), new NodeSpec("n2", "segment", "node-n2"));
    fake.notReadyNode = "n2";
    fake.batchMillis = 2000;
    startWorkers("session-queue");
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> workflow().backup(BackupRequest.of("main")));
    assertTrue(e.getCause().getMessage().contains("failed: node n2: node n2 does not archive WAL"), e.getCause().getMessage());
    assertEquals(Failures.NODE_NOT_READY, failureOf(e).getType(), "the node's own failure is the cause");

    BackupRecord record = fake.committed.get(0);
    assertEquals(BackupRecord.FAILED, record.status());
    NodeBackupRecord n1 = record.nodes().get(0);
    NodeBackupRecord n2 = record.nodes().get(1);
    assertEquals("cancelled because node n2 failed", n1.error());
    assertEquals("node n2 does not archive WAL", n2.error());
    assertTrue(fake.calls.contains("EndSession s1"), "the cancelled node ended its backup session");
    assertFalse(fake.calls.contains("StopBackup s1"));
  }

  /**
   * A sibling's failure that lands while a node is stopping its backup leaves the stop alone: no
   * cancel request for StopBackup is ever recorded (cancelling one its process had not picked up yet
   * stuck the SDK's test server), and the node still ends its session and reports the cancellation.
   */
  @Test
  void aNodeCancelledWhileStoppingLeavesStopBackupUncancelledAndEndsItsSession() {
    fake.cluster.nodes = List.of(new NodeSpec("n1", "coordinator", "node-n1"), new NodeSpec("n2", "segment", "node-n2"));
    fake.notReadyNode = "n2";
    fake.notReadyAfterMillis = 1000;
    fake.batchMillis = 10;
    fake.stopMillis = 3000;
    startWorkers("session-queue");
    assertThrows(WorkflowFailedException.class, () -> workflow().backup(BackupRequest.of("main")));

    NodeBackupRecord n1 = fake.committed.get(0).nodes().get(0);
    assertEquals("cancelled because node n2 failed", n1.error());
    assertTrue(fake.calls.contains("StopBackup s1"), "n1 was stopping when n2 failed: " + fake.calls);
    assertTrue(fake.calls.contains("EndSession s1"), "the cancelled node ended its backup session");
    String nodeWorkflow = env.getWorkflowClient().fetchHistory("backup-test").getEvents().stream()
        .filter(e -> e.hasChildWorkflowExecutionStartedEventAttributes())
        .map(e -> e.getChildWorkflowExecutionStartedEventAttributes().getWorkflowExecution().getWorkflowId())
        .filter(id -> id.endsWith("/n1")).findFirst().orElseThrow();
    List<io.temporal.api.history.v1.HistoryEvent> events = env.getWorkflowClient().fetchHistory(nodeWorkflow).getEvents();
    assertTrue(events.stream().anyMatch(e -> e.hasWorkflowExecutionCancelRequestedEventAttributes()));
    assertFalse(events.stream().anyMatch(e -> e.hasActivityTaskCancelRequestedEventAttributes()),
        "no activity of the stopping node was asked to cancel");
  }

  @Test
  void theRestorePointIsMadeByTheCoordinatorAfterEveryNodeAndCoversEveryNode() {
    fake.cluster.nodes = List.of(new NodeSpec("s1", "segment", "node-n2"), new NodeSpec("c", "coordinator", "node-n1"));
    startWorkers("session-queue");
    BackupRecord record = workflow().backup(BackupRequest.of("main"));

    int point = fake.calls.indexOf("CreateRestorePoint tidemark-" + record.id() + " on node-n1");
    assertTrue(point > 0, "made on the coordinator's queue: " + fake.calls);
    assertTrue(fake.calls.lastIndexOf("WriteManifest 6 batches") < point, "after every node's backup ended");
    assertEquals(List.of("s1", "c"), record.restorePoint().nodes().stream().map(RestorePoint.Node::node).toList());
    assertEquals(2, fake.calls.stream().filter(c -> c.equals("WaitForWal 000000010000000000000004..000000010000000000000004"))
        .count(), "every node's WAL up to the restore point is waited for");
  }

  @Test
  void aRestorePointThatCannotBeMadeFailsTheBackupAndSaysWhy() {
    fake.restorePointRefused = true;
    startWorkers("session-queue");
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> workflow().backup(BackupRequest.of("main")));
    assertTrue(e.getCause().getMessage().contains("the cluster restore point could not be made")
        && e.getCause().getMessage().contains("permission denied"), e.getCause().getMessage());
    BackupRecord record = fake.committed.get(0);
    assertEquals(BackupRecord.FAILED, record.status());
    assertEquals(null, record.restorePoint());
    assertEquals(BackupRecord.COMPLETED, record.nodes().get(0).status(), "the node's own backup did complete");
  }
}
