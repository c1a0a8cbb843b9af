package io.tidemark.workflows.backup;

import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.tidemark.workflows.BatchWindow;
import io.tidemark.workflows.FailureText;
import io.tidemark.workflows.Failures;
import io.tidemark.workflows.WorkflowIds;
import io.tidemark.workflows.activities.ClusterActivities;
import io.tidemark.workflows.activities.ClusterActivities.LostSession;
import io.tidemark.workflows.activities.ClusterActivities.OpenPacks;
import io.tidemark.workflows.activities.NodeBackupActivities.BatchResult;
import io.tidemark.workflows.activities.NodeBackupActivities.FileListSummary;
import io.tidemark.workflows.activities.NodeBackupActivities.SendFileListInput;
import io.tidemark.workflows.activities.NodeBackupActivities.SendFilesInput;
import io.tidemark.workflows.activities.NodeBackupActivities.StartBackupInput;
import io.tidemark.workflows.activities.NodeBackupActivities.StartBackupResult;
import io.tidemark.workflows.activities.NodeBackupActivities.WaitForWalInput;
import io.tidemark.workflows.activities.NodeBackupActivities.WriteManifestInput;
import io.tidemark.workflows.activities.NodeBackupActivities;
import io.tidemark.workflows.activities.SessionActivities.SessionRef;
import io.tidemark.workflows.activities.SessionActivities.StopBackupResult;
import io.tidemark.workflows.activities.SessionActivities;
import io.tidemark.workflows.model.BackupRecord;
import io.tidemark.workflows.model.NodeBackupRecord;
import io.tidemark.workflows.model.Reuse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/**
 * One backup session of one node, in workflow code: start the backup, copy the files while a
 * watcher guards the session's connection, stop the backup on the session's own process, then
 * wait for the WAL the backup needs.
 */
final class BackupSession {

  private static final Logger log = Workflow.getLogger(BackupSession.class);

  /** The session's connection or process is gone; the node backup must start a new session. */
  static final class Lost extends RuntimeException {
    /** Bytes the lost session had read into packs it never committed: the next one sends them again. */
    final long resentBytes;

    Lost(String reason) {
      this(reason, 0);
    }

    Lost(String reason, long resentBytes) {
      super(reason);
      this.resentBytes = resentBytes;
    }
  }

  private final NodeBackupInput input;
  private final int session;
  private final NodeBackupActivities agent;
  private final BatchTotals totals = new BatchTotals();
  private StartBackupResult started;

  private final NodeBackupReporter reporter;

  BackupSession(NodeBackupInput input, int session, NodeBackupActivities agent, NodeBackupReporter reporter) {
    this(input, session, agent, reporter, 0);
  }

  /** @param resentAfterLosses bytes the lost sessions before this one left to send again */
  BackupSession(NodeBackupInput input, int session, NodeBackupActivities agent, NodeBackupReporter reporter,
      long resentAfterLosses) {
    this.input = input;
    this.session = session;
    this.agent = agent;
    this.reporter = reporter;
    this.totals.reuse = new Reuse(0, 0, resentAfterLosses);
  }

  /** Sessions started before the watcher was abandoned rather than cancelled replay as they ran. */
  static final String WATCHER_ABANDONED_CHANGE = "session-watcher-abandoned";

  /** How long a lost session waits for its batches to stop: two heartbeat timeouts. */
  static final Duration COPY_STOP_WAIT = ActivityStubs.HEARTBEAT.multipliedBy(2);

  /** Sessions lost before their open packs were counted replay without counting them. */
  static final String OPEN_PACKS_CHANGE = "lost-session-open-packs";
  /**
   * Sessions from before their work was kept out of the node's cancellation replay as they ran.
   * When a sibling node failed, cancelling this node's activities raced their own ends: a cancel
   * for an activity that had just completed, or that its process had not picked up yet, left the
   * SDK's test server without the activity but with the cancel to answer, and the node workflow
   * stuck (DistributedClusterIT, about one run in three). A real server answers such a cancel, but
   * it gains little either way: the batches in flight end on their own, the other steps take a
   * moment, and the session is ended at once whatever they do. So a cancelled node stops waiting
   * for its work and ends its session; only a lost session still cancels its batches.
   */
  static final String UNCANCELLED_WORK_CHANGE = "node-work-not-cancelled";

  /** Whether this session's work runs out of reach of the node's cancellation. */
  private boolean uncancelled;

  NodeBackupRecord run() {
    StartBackupResult start = agent.startBackup(new StartBackupInput(
        input.cluster(), input.node(), input.backupId(), session, input.label(), input.fastCheckpoint()));
    started = start;
    SessionRef ref = new SessionRef(start.sessionId(), input.cluster(), input.node(), input.backupId(), session);
    uncancelled = Workflow.getVersion(UNCANCELLED_WORK_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1;

    List<Promise<Void>> watching = new ArrayList<>(1);
    boolean abandonWatcher = Workflow.getVersion(WATCHER_ABANDONED_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1;
    SessionActivities watcher = ActivityStubs.watcher(start.sessionQueue(), sessionTimeout(), abandonWatcher);
    CancellationScope watchScope = Workflow.newCancellationScope(
        () -> watching.add(Async.procedure(watcher::watchSession, ref)));
    List<Promise<FileListSummary>> copying = new ArrayList<>(1);
    CancellationScope copyScope = scope(() -> copying.add(Async.function(() -> copyFiles(start))));

    boolean stopped = false;
    boolean lost = false;
    try {
      watchScope.run();
      copyScope.run();
      Workflow.await(() -> copying.get(0).isCompleted() || watching.get(0).isCompleted());
      if (!copying.get(0).isCompleted()) {
        copyScope.cancel();
        Promise<OpenPacks> open = countOpenPacks();
        // Batches on a live agent stop at their next heartbeat. One on the dead process may never
        // answer (the SDK's test server never times out a cancelled activity): wait a bounded time.
        Workflow.await(COPY_STOP_WAIT, () -> copying.get(0).isCompleted());
        lost = true;
        throw new Lost(reasonWatcherEnded(watching.get(0)), resent(open));
      }
      FileListSummary list = copying.get(0).get();
      StopBackupResult stop;
      reporter.phase("stopping");
      try {
        stop = stop(start.sessionQueue(), ref, watching.get(0));
      } catch (Lost e) {
        lost = true;
        throw e;
      }
      stopped = true;
      watchScope.cancel();

      reporter.phase("archiving");
      step(() -> agent.waitForWal(new WaitForWalInput(input.cluster(), input.node(), stop.timeline(),
          start.startWal(), stop.stopWal(), start.walSegmentSize(), input.walArchiveTimeoutSeconds())));
      reporter.phase("manifest");
      step(() -> agent.writeManifest(new WriteManifestInput(input.cluster(), input.node(), input.backupId(), session,
          list.batches(), start.pgVersion(), start.systemIdentifier(), stop.timeline(), start.startLsn(), stop.stopLsn(),
          stop.stopTime(), input.sha256Manifest())));

      return new NodeBackupRecord(input.node(), BackupRecord.COMPLETED, null, session,
          start.pgVersion(), start.systemIdentifier(), start.timeline(), start.startLsn(),
          stop.stopLsn(), start.startWal(), stop.stopWal(), start.walSegmentSize(),
          start.startTime(), stop.stopTime(), totals.files, totals.bytes, totals.storedBytes, list.batches(),
          start.dataChecksums(), stop.tablespaceMap(), totals.corruptPages, totals.samples(), totals.reuse);
    } catch (RuntimeException e) {
      if (!(uncancelled && e instanceof CanceledFailure)) {
        copyScope.cancel();
      }
      throw e;
    } finally {
      watchScope.cancel();
      if (!stopped) {
        // A lost session is most likely gone with its process: do not wait a minute to hear so.
        endQuietly(ActivityStubs.stopper(start.sessionQueue(), sessionTimeout()), ref, !lost);
      }
    }
  }

  /** A scope for this session's work: out of reach of the node's cancellation, or (older runs) inside it. */
  private CancellationScope scope(Runnable work) {
    return uncancelled ? Workflow.newDetachedCancellationScope(work) : Workflow.newCancellationScope(work);
  }

  /**
   * Runs one of the node's short steps. A node cancelled meanwhile stops waiting for it (this
   * throws CanceledFailure) but sends it no cancel; older runs call it in the node's scope.
   */
  private void step(Runnable activity) {
    if (!uncancelled) {
      activity.run();
      return;
    }
    List<Promise<Void>> running = new ArrayList<>(1);
    Workflow.newDetachedCancellationScope(() -> running.add(Async.procedure(activity::run))).run();
    Workflow.await(() -> running.get(0).isCompleted());
    running.get(0).get();
  }

  /**
   * Asks, as the session is found lost, what its batches in flight had read into packs they never
   * committed. Now rather than after they stop: a real Temporal server times out a dead batch once
   * its heartbeat timeout passes (the watcher's is shorter) and keeps no pending heartbeat then.
   */
  private Promise<OpenPacks> countOpenPacks() {
    if (Workflow.getVersion(OPEN_PACKS_CHANGE, Workflow.DEFAULT_VERSION, 1) < 1) {
      return Workflow.newPromise(OpenPacks.NONE);
    }
    ClusterActivities counter = ActivityStubs.openPackCounter();
    return Async.function(counter::countOpenPacks, new LostSession(input.cluster(), input.node(), input.backupId(),
        session, Workflow.getInfo().getWorkflowId(), Workflow.getInfo().getRunId()));
  }

  /** What the count found; nothing if it could not tell (a count never holds a backup up). */
  private long resent(Promise<OpenPacks> open) {
    try {
      OpenPacks packs = open.get();
      if (packs.bytes() > 0) {
        log.info("node {}: session {} lost with {} bytes in open packs of batches {}: they are sent again",
            input.node(), session, packs.bytes(), packs.batches());
      }
      return packs.bytes();
    } catch (ActivityFailure f) {
      if (f.getCause() instanceof CanceledFailure) {
        throw f;
      }
      log.warn("node {}: the bytes session {} left in open packs are not known: {}", input.node(), session,
          FailureText.of(f));
      return 0;
    }
  }

  /** The file list, then every batch, at most {@code parallelism} at a time; pg_control last. */
  private FileListSummary copyFiles(StartBackupResult start) {
    reporter.phase("listing");
    FileListSummary list = agent.sendFileList(new SendFileListInput(
        input.cluster(), input.node(), input.backupId(), session, start.pgVersion(), input.parallelism()));
    reporter.listed(list);
    sendBatches(0, list.finalBatch());
    sent(agent.sendFiles(batch(list.finalBatch())), 1);
    return list;
  }

  /** Batches one workflow run schedules itself, at most; more go to windows, one child each. */
  static final int WINDOW_BATCHES = 1000;
  /** Sessions started before windows existed replay without them. */
  static final String WINDOWS_CHANGE = "send-files-windows";

  private void sendBatches(int from, int to) {
    if (to - from <= WINDOW_BATCHES || Workflow.getVersion(WINDOWS_CHANGE, Workflow.DEFAULT_VERSION, 1) < 1) {
      BatchWindow.run(from, to, input.parallelism(), b -> Async.function(agent::sendFiles, batch(b)), r -> sent(r, 1));
      return;
    }
    for (int first = from; first < to; first += WINDOW_BATCHES) {
      SendFilesWindowWorkflow window = Workflow.newChildWorkflowStub(SendFilesWindowWorkflow.class,
          ChildWorkflowOptions.newBuilder()
              .setWorkflowId(WorkflowIds.sendWindow(Workflow.getInfo().getWorkflowId(), session, first / WINDOW_BATCHES))
              .build());
      int last = Math.min(to, first + WINDOW_BATCHES);
      sent(window.send(new SendFilesWindowWorkflow.Input(batch(first), input.taskQueue(),
          input.walArchiveTimeoutSeconds(), first, last, input.parallelism())), last - first);
    }
  }

  private void sent(BatchResult r, int batches) {
    totals.add(r);
    reporter.sent(r, batches);
  }

  private Duration sessionTimeout() {
    return Duration.ofSeconds(input.sessionTimeoutSeconds());
  }

  private SendFilesInput batch(int number) {
    return new SendFilesInput(input.cluster(), input.node(), input.backupId(), session, number,
        started.dataChecksums(), started.startLsn(), input.sha256Manifest());
  }

  /**
   * StopBackup on the session's process. If that process dies meanwhile, the watcher says so
   * within its heartbeat timeout; StopBackup's own timeout would take minutes.
   */
  private StopBackupResult stop(String sessionQueue, SessionRef ref, Promise<Void> watcher) {
    SessionActivities stopper = ActivityStubs.stopper(sessionQueue, sessionTimeout());
    List<Promise<StopBackupResult>> stopping = new ArrayList<>(1);
    CancellationScope stopScope = scope(() -> stopping.add(Async.function(stopper::stopBackup, ref)));
    stopScope.run();
    Workflow.await(() -> stopping.get(0).isCompleted() || (watcher.isCompleted() && watcher.getFailure() != null));
    if (!stopping.get(0).isCompleted()) {
      stopScope.cancel();
      throw new Lost(reasonWatcherEnded(watcher) + ", during StopBackup");
    }
    try {
      return stopping.get(0).get();
    } catch (ActivityFailure f) {
      if (isScheduleToStartTimeout(f)) {
        throw new Lost("the process holding the session (queue " + sessionQueue + ") did not answer StopBackup");
      }
      if (isType(f, Failures.SESSION_LOST)) {
        throw new Lost(FailureText.of(f));
      }
      throw f;
    }
  }

  /**
   * Ends the session so that no server stays in backup mode. Errors are ignored: when the process
   * is gone, its connection went with it and PostgreSQL has already ended backup mode.
   */
  private static void endQuietly(SessionActivities session, SessionRef ref, boolean wait) {
    Workflow.newDetachedCancellationScope(() -> {
      Promise<Void> ended = Async.procedure(session::endSession, ref);
      if (wait) {
        try {
          ended.get();
        } catch (ActivityFailure ignored) {
          // see above
        }
      }
    }).run();
  }

  private static String reasonWatcherEnded(Promise<Void> watcher) {
    RuntimeException failure = watcher.getFailure();
    if (failure == null) {
      return "the session watcher ended";
    }
    if (failure instanceof ActivityFailure && isScheduleToStartTimeout((ActivityFailure) failure)) {
      return "the process holding the session is gone";
    }
    if (failure instanceof ActivityFailure && failure.getCause() instanceof TimeoutFailure) {
      return "the process holding the session stopped heartbeating";
    }
    return FailureText.of(failure);
  }

  private static boolean isScheduleToStartTimeout(ActivityFailure f) {
    return f.getCause() instanceof TimeoutFailure
        && ((TimeoutFailure) f.getCause()).getTimeoutType() == TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START;
  }

  private static boolean isType(ActivityFailure f, String type) {
    return f.getCause() instanceof ApplicationFailure && type.equals(((ApplicationFailure) f.getCause()).getType());
  }
}
