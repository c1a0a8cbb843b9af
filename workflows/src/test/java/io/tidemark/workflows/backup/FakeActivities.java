package io.tidemark.workflows.backup;

import io.temporal.activity.Activity;
import io.temporal.client.ActivityCompletionException;
import io.temporal.failure.ApplicationFailure;
import io.tidemark.workflows.Failures;
import io.tidemark.workflows.activities.ClusterActivities;
import io.tidemark.workflows.activities.CoordinatorActivities;
import io.tidemark.workflows.activities.NodeBackupActivities;
import io.tidemark.workflows.activities.RetentionActivities;
import io.tidemark.workflows.activities.SessionActivities;
import io.tidemark.workflows.model.BackupRecord;
import io.tidemark.workflows.model.RestorePoint;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;
import java.util.function.IntToLongFunction;

/**
 * Stand-ins for the activities, for testing the workflows' orchestration alone: they record what
 * they were asked to do and in which order. The real activities are tested end to end.
 */
final class FakeActivities {

  final List<String> calls = Collections.synchronizedList(new ArrayList<>());
  final AtomicInteger inFlight = new AtomicInteger();
  final AtomicInteger maxInFlight = new AtomicInteger();
  final Set<String> batchesDone = ConcurrentHashMap.newKeySet();
  final List<String> violations = Collections.synchronizedList(new ArrayList<>());
  final List<BackupRecord> committed = Collections.synchronizedList(new ArrayList<>());
  final List<ClusterActivities.BackupLock> released = Collections.synchronizedList(new ArrayList<>());

  int batches = 6;
  long batchMillis = 30;
  IntFunction<String> sessionQueue = session -> "session-queue";
  IntPredicate watcherFails = session -> false;
  /** What CountOpenPacks finds of a lost session. */
  IntToLongFunction openPackBytes = session -> 0;
  /** StopBackup of these sessions never answers, and their watcher fails: the process died while stopping. */
  IntPredicate diesInStop = session -> false;
  private final Set<String> dying = ConcurrentHashMap.newKeySet();
  /**
   * Sessions stopped or ended: their watchers return. Keyed by node and session number, as every
   * node counts its sessions from 1: one node's stop must not end another node's watcher.
   */
  private final Set<String> ended = ConcurrentHashMap.newKeySet();
  String notReadyNode;
  /** How long notReadyNode's StartBackup takes before it fails. */
  long notReadyAfterMillis;
  /** How long StopBackup takes. */
  long stopMillis;
  String lockHeldBy;
  int idsTaken;

  final Cluster cluster = new Cluster();
  final Node node = new Node();
  final Session session = new Session();
  final Coordinator coordinator = new Coordinator();
  final Retention retention = new Retention();
  boolean restorePointRefused;

  final class Cluster implements ClusterActivities {
    List<NodeSpec> nodes = List.of(new NodeSpec("n1", "coordinator", "node-n1"));
    boolean searchAttributes;
    boolean retentionPolicy;

    @Override
    public ClusterSpec describeCluster(DescribeClusterInput input) {
      calls.add("DescribeCluster " + input.cluster());
      if (!input.cluster().equals("main")) {
        throw ApplicationFailure.newNonRetryableFailure("unknown cluster '" + input.cluster() + "'", Failures.UNKNOWN_CLUSTER);
      }
      return new ClusterSpec("main", "postgres", nodes, searchAttributes, retentionPolicy);
    }

    @Override
    public boolean acquireBackupLock(BackupLock lock) {
      calls.add("AcquireBackupLock " + lock.backupId());
      if (lockHeldBy != null) {
        throw ApplicationFailure.newNonRetryableFailure("a backup of cluster main is already running: " + lockHeldBy,
            Failures.BACKUP_IN_PROGRESS);
      }
      if (idsTaken > 0) {
        idsTaken--;
        return false;
      }
      return true;
    }

    @Override
    public void releaseBackupLock(BackupLock lock) {
      calls.add("ReleaseBackupLock " + lock.backupId());
      released.add(lock);
    }

    @Override
    public void commitBackup(BackupRecord record) {
      committed.add(record);
    }

    @Override
    public RestorePlan resolveRestore(io.tidemark.workflows.restore.RestoreRequest request) {
      throw new UnsupportedOperationException("backups never resolve restores");
    }

    @Override
    public OpenPacks countOpenPacks(LostSession lost) {
      calls.add("CountOpenPacks " + lost.node() + " s" + lost.session());
      long bytes = openPackBytes.applyAsLong(lost.session());
      return new OpenPacks(bytes, bytes > 0 ? List.of(0) : List.of());
    }
  }

  /** Plans to expire {@code expire} and cut WAL at the oldest kept backup; fails the plan when {@code planFails}. */
  final class Retention implements RetentionActivities {
    List<String> expire = List.of("b1", "b2");
    boolean planFails;

    @Override
    public RetentionPlan planRetention(PlanRetentionInput in) {
      calls.add("PlanRetention " + in.cluster() + (in.dryRun() ? " dry" : ""));
      if (planFails) {
        throw ApplicationFailure.newNonRetryableFailure("the repository said no", "Test");
      }
      return new RetentionPlan(in.cluster(), "keep the newest 1", List.of("b3"),
          expire.stream().map(id -> new Expiry(id, "completed", "old")).toList(), List.of(new WalCutoff("n1", "W3")));
    }

    @Override
    public ExpiredBackup expireBackup(ExpireBackupInput in) {
      calls.add("ExpireBackup " + in.backup().backupId() + (in.dryRun() ? " dry" : ""));
      return new ExpiredBackup(in.backup().backupId(), "completed", "old", 3, 300);
    }

    @Override
    public WalExpiry expireWal(ExpireWalInput in) {
      calls.add("ExpireWal " + in.node() + " before " + in.keepFrom() + (in.dryRun() ? " dry" : ""));
      return new WalExpiry(in.node(), in.keepFrom(), 5, 500);
    }
  }

  final class Node implements NodeBackupActivities {
    @Override
    public StartBackupResult startBackup(StartBackupInput in) {
      calls.add("StartBackup " + in.node() + " s" + in.session());
      if (in.node().equals(notReadyNode)) {
        sleep(notReadyAfterMillis);
        throw ApplicationFailure.newNonRetryableFailure("node " + in.node() + " does not archive WAL", Failures.NODE_NOT_READY);
      }
      return new StartBackupResult("sid-" + in.node() + "-" + in.session(), sessionQueue.apply(in.session()), 150004,
          "7000000000000000001", 1, "0/2000028", "000000010000000000000002", 16L << 20, "2026-11-21T10:30:00Z", true);
    }

    @Override
    public FileListSummary sendFileList(SendFileListInput in) {
      calls.add("SendFileList s" + in.session());
      return new FileListSummary(100, 10_000, 10, batches, 0);
    }

    @Override
    public BatchResult sendFiles(SendFilesInput in) {
      int now = inFlight.incrementAndGet();
      maxInFlight.accumulateAndGet(now, Math::max);
      try {
        if (in.batch() == batches - 1) {
          for (int b = 0; b < batches - 1; b++) {
            if (!batchesDone.contains(in.session() + "/" + b)) {
              violations.add("pg_control batch started before batch " + b + " finished");
            }
          }
        }
        // Like the real activity: heartbeats while it works, so a cancellation reaches it.
        for (long waited = 0; waited < batchMillis; waited += 10) {
          Activity.getExecutionContext().heartbeat(null);
          sleep(10);
        }
        batchesDone.add(in.session() + "/" + in.batch());
        return new BatchResult(in.batch(), 10, 1000, 100, 0, 0, 0, null, null);
      } finally {
        inFlight.decrementAndGet();
      }
    }

    @Override
    public void waitForWal(WaitForWalInput in) {
      calls.add("WaitForWal " + in.startWal() + ".." + in.stopWal());
    }

    @Override
    public void writeManifest(WriteManifestInput in) {
      calls.add("WriteManifest " + in.batches() + " batches");
    }
  }

  final class Coordinator implements CoordinatorActivities {
    @Override
    public RestorePoint createRestorePoint(CreateRestorePointInput in) {
      calls.add("CreateRestorePoint " + in.name() + " on " + Activity.getExecutionContext().getInfo().getActivityTaskQueue());
      if (restorePointRefused) {
        throw ApplicationFailure.newNonRetryableFailure("permission denied for function pg_create_restore_point",
            Failures.CONFIGURATION);
      }
      List<RestorePoint.Node> nodes = new ArrayList<>();
      for (ClusterActivities.NodeSpec n : cluster.nodes) {
        nodes.add(new RestorePoint.Node(n.name(), "0/4000090", 1, "000000010000000000000004"));
      }
      return new RestorePoint(in.name(), "postgres", "2026-11-21T10:32:00Z", nodes);
    }
  }

  final class Session implements SessionActivities {
    private static String key(SessionRef ref) {
      return ref.node() + "/" + ref.session();
    }

    @Override
    public StopBackupResult stopBackup(SessionRef ref) {
      calls.add("StopBackup s" + ref.session());
      if (diesInStop.test(ref.session())) {
        dying.add(key(ref));
        for (int i = 0; i < 1200; i++) {
          sleep(100); // frozen; a dead process never answers (ended after two minutes so the test JVM can stop)
        }
        throw ApplicationFailure.newFailure("StopBackup answered after two minutes", "Test");
      }
      sleep(stopMillis);
      ended.add(key(ref));
      return new StopBackupResult("0/3000100", "000000010000000000000003", 1, "2026-11-21T10:31:00Z", false);
    }

    @Override
    public void watchSession(SessionRef ref) {
      if (watcherFails.test(ref.session())) {
        sleep(100);
        throw ApplicationFailure.newNonRetryableFailure("the connection to node n1 broke", Failures.SESSION_LOST);
      }
      try {
        // As the real one: it ends by itself once its session is stopped or ended.
        while (!ended.contains(key(ref))) {
          Activity.getExecutionContext().heartbeat(null);
          if (dying.contains(key(ref))) {
            throw ApplicationFailure.newNonRetryableFailure("the process holding the session stopped heartbeating",
                Failures.SESSION_LOST);
          }
          sleep(20);
        }
      } catch (ActivityCompletionException cancelled) {
        calls.add("watcher s" + ref.session() + " cancelled");
        throw cancelled;
      }
    }

    @Override
    public void endSession(SessionRef ref) {
      calls.add("EndSession s" + ref.session());
      ended.add(key(ref));
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
