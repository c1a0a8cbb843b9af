package io.tidemark.activities.backup;

import io.temporal.activity.Activity;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;
import io.tidemark.activities.files.DirectoryEntry;
import io.tidemark.activities.files.ListedFile;
import io.tidemark.activities.manifest.ManifestWriter;
import io.tidemark.activities.repository.LocalRepository;
import io.tidemark.activities.repository.RepositoryLayout;
import io.tidemark.activities.runtime.Heartbeat;
import io.tidemark.activities.transfer.Ndjson;
import io.tidemark.activities.transfer.StoredFile;
import io.tidemark.workflows.TaskQueues;
import io.tidemark.workflows.WorkflowIds;
import io.tidemark.workflows.activities.NodeBackupActivities;
import io.tidemark.workflows.activities.NodeRestoreActivities;
import io.tidemark.workflows.activities.SessionActivities;
import io.tidemark.workflows.backup.NodeBackupInput;
import io.tidemark.workflows.backup.NodeBackupWorkflow;
import io.tidemark.workflows.backup.NodeBackupWorkflowImpl;
import io.tidemark.workflows.backup.SendFilesWindowWorkflowImpl;
import io.tidemark.workflows.json.StrictInputs;
import io.tidemark.workflows.model.NodeBackupRecord;
import io.tidemark.workflows.restore.FetchFilesWindowWorkflowImpl;
import io.tidemark.workflows.restore.NodeRestoreInput;
import io.tidemark.workflows.restore.NodeRestoreResult;
import io.tidemark.workflows.restore.NodeRestoreWorkflow;
import io.tidemark.workflows.restore.NodeRestoreWorkflowImpl;
import io.tidemark.workflows.restore.NodeTarget;
import io.tidemark.workflows.restore.RecoveryTarget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node of a million files and 8 TiB, backed up and restored by the real workflows on the SDK's
 * test server. The file list is real (written to a local repository by the real FileListSender,
 * from a synthetic walk, and read back by every batch); only the bytes are left out. Every
 * workflow run must stay under 10,000 events with no event over 256 KB, and no more batches may
 * be in flight than the parallelism asked for.
 */
class MillionFileHistoryTest {

  static final int FILES = 1_000_000;
  static final int GIANT_FILES = 8_192;
  static final long GIB = 1L << 30;
  static final int PARALLELISM = 4;
  static final String CLUSTER = "big";
  static final String NODE_NAME = "n1";
  static final String BACKUP = "20261121-120000F";
  static final String AGENT = "agent-n1";
  static final String SESSION_QUEUE = "session-n1";
  static final int MAX_EVENTS = 10_000;
  static final int MAX_EVENT_BYTES = 256 * 1024;

  @TempDir
  Path tmp;
  LocalRepository repo;
  TestWorkflowEnvironment env;
  final AtomicInteger inFlight = new AtomicInteger();
  final AtomicInteger maxInFlight = new AtomicInteger();
  final AtomicLong listedEntriesRead = new AtomicLong();

  @AfterEach
  void tearDown() {
    if (env != null) {
      env.close();
    }
  }

  @Test
  void aMillionFilesKeepEveryRunsHistoryBoundedInBackupAndRestore() throws Exception {
    repo = new LocalRepository(tmp.resolve("repo"));
    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
        .setWorkflowClientOptions(WorkflowClientOptions.newBuilder().setDataConverter(StrictInputs.dataConverter()).build())
        .build());
    Worker shared = env.newWorker(TaskQueues.SHARED);
    shared.registerWorkflowImplementationTypes(StrictInputs.implementationOptions(), NodeBackupWorkflowImpl.class, SendFilesWindowWorkflowImpl.class,
        NodeRestoreWorkflowImpl.class, FetchFilesWindowWorkflowImpl.class);
    env.newWorker(AGENT, WorkerOptions.newBuilder().setMaxConcurrentActivityExecutionSize(64).build())
        .registerActivitiesImplementations(new SyntheticNode(), new SyntheticRestore());
    env.newWorker(SESSION_QUEUE).registerActivitiesImplementations(new SyntheticSession());
    env.start();
    WorkflowClient client = env.getWorkflowClient();

    String backupId = "tidemark-backup-big/" + BACKUP + "/n1";
    NodeBackupWorkflow backup = client.newWorkflowStub(NodeBackupWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(backupId).setTaskQueue(TaskQueues.SHARED).build());
    NodeBackupRecord record = backup.backup(new NodeBackupInput(CLUSTER, NODE_NAME, AGENT, BACKUP, "big", true,
        PARALLELISM, 60, 60, false));

    assertEquals(FILES + 1, record.files(), "every listed file and pg_control was sent");
    assertEquals(GIANT_FILES * GIB + (long) (FILES - GIANT_FILES) * 8192 + 8192, record.bytes());
    assertTrue(record.batches() > 2 * 1000, "enough batches for three windows: " + record.batches());
    assertEquals(FILES + 1, listedEntriesRead.get(), "every batch read its own list from the repository");
    List<String> backupRuns = runs(client, backupId, id -> WorkflowIds.sendWindow(backupId, 1, id));
    assertEquals(4, backupRuns.size(), "the node backup and three windows");
    assertBounded(client, backupRuns);
    assertTrue(maxInFlight.get() <= PARALLELISM, "batches in flight at once: " + maxInFlight.get());
    long manifestBytes = repo.size(RepositoryLayout.node(CLUSTER, BACKUP, NODE_NAME) + RepositoryLayout.manifest(1))
        .orElseThrow();
    assertTrue(manifestBytes > FILES * 50L, "backup_manifest lists every file: " + manifestBytes + " bytes");

    maxInFlight.set(0);
    String restoreId = "tidemark-restore-big-1/n1";
    NodeRestoreWorkflow restore = client.newWorkflowStub(NodeRestoreWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(restoreId).setTaskQueue(TaskQueues.SHARED).build());
    NodeRestoreResult restored = restore.restore(new NodeRestoreInput("tidemark-restore-big-1", CLUSTER, BACKUP, record,
        NodeTarget.of(NODE_NAME, tmp.resolve("target").toString(), 5999), AGENT, RecoveryTarget.latestTarget(), true,
        "latest", "promote", "off", PARALLELISM, false, 1));
    assertEquals(FILES + 1, restored.files());
    List<String> restoreRuns = runs(client, restoreId, id -> WorkflowIds.fetchWindow(restoreId, id));
    assertEquals(4, restoreRuns.size());
    assertBounded(client, restoreRuns);
    assertTrue(maxInFlight.get() <= PARALLELISM, "fetches in flight at once: " + maxInFlight.get());
  }

  /** The workflow and each of its windows that ran. */
  private static List<String> runs(WorkflowClient client, String workflowId, java.util.function.IntFunction<String> window) {
    List<String> runs = new ArrayList<>(List.of(workflowId));
    for (int w = 0; ; w++) {
      String id = window.apply(w);
      try {
        client.fetchHistory(id);
      } catch (RuntimeException notFound) {
        return runs;
      }
      runs.add(id);
    }
  }

  /** Every run is small, and replays on the current code. */
  private static void assertBounded(WorkflowClient client, List<String> workflowIds) throws Exception {
    for (String id : workflowIds) {
      WorkflowExecutionHistory history = client.fetchHistory(id);
      WorkflowReplayer.replayWorkflowExecution(history, NodeBackupWorkflowImpl.class, SendFilesWindowWorkflowImpl.class,
          NodeRestoreWorkflowImpl.class, FetchFilesWindowWorkflowImpl.class);
      List<HistoryEvent> events = history.getEvents();
      int largest = events.stream().mapToInt(HistoryEvent::getSerializedSize).max().orElse(0);
      System.out.printf("%s: %d events, largest %d bytes%n", id, events.size(), largest);
      assertTrue(events.size() < MAX_EVENTS, id + " has " + events.size() + " events");
      assertTrue(largest < MAX_EVENT_BYTES, id + " has an event of " + largest + " bytes");
    }
  }

  private String nodePrefix() {
    return RepositoryLayout.node(CLUSTER, BACKUP, NODE_NAME);
  }

  /** One synthetic relation file per position: 8,192 one-gigabyte segments among small files. */
  private static ListedFile file(int i) {
    boolean giant = i % (FILES / GIANT_FILES) == 0 && i / (FILES / GIANT_FILES) < GIANT_FILES;
    return new ListedFile("base/16384/" + (100000 + i), giant ? GIB : 8192, 1_763_700_000_000L + i);
  }

  private void tracked(Runnable work) {
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    try {
      work.run();
    } finally {
      inFlight.decrementAndGet();
    }
  }

  /** The node agent, with a synthetic data directory: real lists, no bytes. */
  final class SyntheticNode implements NodeBackupActivities {
    @Override
    public StartBackupResult startBackup(StartBackupInput in) {
      return new StartBackupResult("sid", SESSION_QUEUE, 170000, "7000000000000000001", 1, "0/2000028",
          "000000010000000000000002", 16L << 20, "2026-11-21T12:00:00Z", false);
    }

    @Override
    public FileListSummary sendFileList(SendFileListInput in) {
      try {
        return new FileListSender(repo).send(in, sink -> {
          sink.directory(DirectoryEntry.directory("base"));
          for (int i = 0; i < FILES; i++) {
            sink.file(file(i));
          }
          sink.file(new ListedFile("global/pg_control", 8192, 1_763_700_000_000L));
        }, "synthetic", Heartbeat.ofCurrentActivity());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Reads the batch's list and records each file as stored, as SendFiles does, without the bytes. */
    @Override
    public BatchResult sendFiles(SendFilesInput in) {
      long[] totals = new long[2];
      tracked(() -> {
        try (Ndjson.CloseableIterator<ListedFile> list = Ndjson.read(repo,
                nodePrefix() + RepositoryLayout.fileList(in.session(), in.batch()), ListedFile.class);
            Ndjson.Writer<StoredFile> stored = Ndjson.create(repo,
                nodePrefix() + RepositoryLayout.storedFiles(in.session(), in.batch()), StoredFile.class)) {
          while (list.hasNext()) {
            ListedFile f = list.next();
            stored.add(new StoredFile(f.path(), f.size(), f.mtime(), "00000000", "s1/data/none", 0, 0, "zstd"));
            totals[0]++;
            totals[1] += f.size();
          }
          stored.commit();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      listedEntriesRead.addAndGet(totals[0]);
      return new BatchResult(in.batch(), totals[0], totals[1], 0, 0, 0, 0, null, null);
    }

    @Override
    public void waitForWal(WaitForWalInput in) {}

    @Override
    public void writeManifest(WriteManifestInput in) {
      try {
        new ManifestWriter(repo).write(in);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** The session: a watcher that ends once the session is stopped, and a stop that stores a backup_label. */
  final class SyntheticSession implements SessionActivities {
    private final java.util.Set<Integer> stopped = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @Override
    public StopBackupResult stopBackup(SessionRef session) {
      stopped.add(session.session());
      try {
        repo.put(nodePrefix() + RepositoryLayout.backupLabel(session.session()),
            ("START WAL LOCATION: 0/2000028 (file 000000010000000000000002)\nCHECKPOINT LOCATION: 0/2000060\n"
                + "BACKUP METHOD: streamed\nBACKUP FROM: primary\nSTART TIME: 2026-11-21 12:00:00 UTC\n"
                + "LABEL: big\nSTART TIMELINE: 1\n").getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return new StopBackupResult("0/3000100", "000000010000000000000003", 1, "2026-11-21T12:30:00Z", false);
    }

    @Override
    public void watchSession(SessionRef session) {
      while (!stopped.contains(session.session())) {
        Activity.getExecutionContext().heartbeat(null);
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }

    @Override
    public void endSession(SessionRef session) {}
  }

  /** The restoring agent: every batch reads its list of stored files, nothing is written. */
  final class SyntheticRestore implements NodeRestoreActivities {
    @Override
    public void prepareRestore(PrepareRestoreInput input) {}

    @Override
    public FetchResult fetchFiles(FetchFilesInput in) {
      long[] totals = new long[2];
      tracked(() -> {
        try {
          Ndjson.forEach(repo, nodePrefix() + RepositoryLayout.storedFiles(in.session(), in.batch()), StoredFile.class,
              f -> {
                totals[0]++;
                totals[1] += f.size();
              });
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      return new FetchResult(in.batch(), totals[0], totals[1], 0);
    }

    @Override
    public void writeRecoveryConfig(RecoveryConfigInput input) {}

    @Override
    public ReplayResult replayWal(ReplayWalInput input) {
      return new ReplayResult("promoted", "0/3000100", 2, null);
    }

    @Override
    public void runSql(RunSqlInput input) {}
  }
}
