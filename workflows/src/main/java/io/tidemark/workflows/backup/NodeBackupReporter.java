package io.tidemark.workflows.backup;

import io.temporal.workflow.Async;
import io.temporal.workflow.Workflow;
import io.tidemark.workflows.activities.NodeBackupActivities.BatchResult;
import io.tidemark.workflows.activities.NodeBackupActivities.FileListSummary;
import io.tidemark.workflows.model.Reuse;
import java.util.Optional;

/**
 * A node backup's progress, kept in workflow code and signalled to the cluster backup at every
 * phase and about every tenth of the batches: a bounded number of signals however large the node.
 */
final class NodeBackupReporter {

  /** Node backups started before they reported progress replay without reporting. */
  static final String PROGRESS_CHANGE = "node-backup-progress";
  private static final int REPORTS_WHILE_SENDING = 10;

  private final Optional<ClusterBackupWorkflow> parent;
  private final String node;
  private String phase = "starting";
  private int session;
  private long files;
  private long bytes;
  private int batches;
  private int batchesDone;
  private long filesDone;
  private long bytesDone;
  private long sendingSince;
  private Reuse reuse = Reuse.NONE;
  private int lastReported;

  private NodeBackupReporter(Optional<ClusterBackupWorkflow> parent, String node) {
    this.parent = parent;
    this.node = node;
  }

  /** Reports to the parent cluster backup, if there is one (and the history is new enough). */
  static NodeBackupReporter forThisWorkflow(String node) {
    Optional<ClusterBackupWorkflow> parent = Optional.empty();
    if (Workflow.getVersion(PROGRESS_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1) {
      parent = Workflow.getInfo().getParentWorkflowId()
          .map(id -> Workflow.newExternalWorkflowStub(ClusterBackupWorkflow.class, id));
    }
    return new NodeBackupReporter(parent, node);
  }

  void session(int number) {
    session = number;
    files = bytes = filesDone = bytesDone = sendingSince = 0;
    batches = batchesDone = lastReported = 0;
    phase("starting");
  }

  void phase(String name) {
    phase = name;
    send();
  }

  void listed(FileListSummary list) {
    files = list.files();
    bytes = list.bytes();
    batches = list.batches();
    sendingSince = Workflow.currentTimeMillis();
    phase("sending");
  }

  /** @param batchesInResult 1 for a batch, more for a window of them */
  void sent(BatchResult r, int batchesInResult) {
    batchesDone += batchesInResult;
    filesDone += r.files();
    bytesDone += r.bytes();
    reuse = reuse.plus(r.reuse());
    if ((long) (batchesDone - lastReported) * REPORTS_WHILE_SENDING >= batches && batchesDone < batches) {
      send();
    }
  }

  /** Bytes a lost session left in open packs: the next one sends them again. Shown from its start on. */
  void resent(long bytes) {
    reuse = reuse.plus(new Reuse(0, 0, bytes));
  }

  NodeBackupProgress snapshot() {
    return new NodeBackupProgress(node, phase, session, files, bytes, batches, batchesDone, filesDone, bytesDone,
        sendingSince, reuse);
  }

  /** Signals without waiting: progress is a courtesy, never a reason to stop. */
  private void send() {
    lastReported = batchesDone;
    NodeBackupProgress now = snapshot();
    parent.ifPresent(p -> Async.procedure(p::nodeProgress, now).exceptionally(failure -> null));
  }
}
