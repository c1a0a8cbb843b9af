package io.tidemark.activities.backup;

import io.tidemark.activities.backup.PendingHeartbeats.Pending;
import io.tidemark.workflows.WorkflowIds;
import io.tidemark.workflows.activities.ClusterActivities.LostSession;
import io.tidemark.workflows.activities.ClusterActivities.OpenPacks;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CountOpenPacks: what a lost session's batches in flight had read into packs they never
 * committed, as their last heartbeats, held by the Temporal server, say. Those packs are never
 * committed (the dead process took them along; a cancelled batch aborts its own), so the next
 * session sends their files again. The batches are the pending SendFiles of the node backup and of
 * its pending windows of that session; each heartbeat names its session and batch, so batches of
 * earlier lost sessions, still pending on a server that never times a cancelled activity out, are
 * not counted twice. It only reads: asking again gives the same answer or a fresher one.
 */
final class OpenPackCounter {

  static final String SEND_FILES = "SendFiles";

  private static final Logger log = LoggerFactory.getLogger(OpenPackCounter.class);

  private final PendingHeartbeats server;

  OpenPackCounter(PendingHeartbeats server) {
    this.server = server;
  }

  OpenPacks count(LostSession lost) {
    Pending<BatchSender.Progress> node = server.pending(lost.workflowId(), lost.runId(), SEND_FILES,
        BatchSender.Progress.class);
    List<BatchSender.Progress> beats = new ArrayList<>(node.details());
    String windows = WorkflowIds.sendWindows(lost.workflowId(), lost.session());
    for (String child : node.children()) {
      if (child.startsWith(windows)) {
        beats.addAll(server.pending(child, "", SEND_FILES, BatchSender.Progress.class).details());
      }
    }
    long bytes = 0;
    TreeSet<Integer> batches = new TreeSet<>();
    for (BatchSender.Progress p : beats) {
      if (p.session() == lost.session() && p.openBytes() > 0) {
        bytes += p.openBytes();
        batches.add(p.batch());
      }
    }
    log.info("node {} of backup {}: session {} lost; {} pending SendFiles heartbeat(s), {} bytes in open packs of "
        + "batches {}", lost.node(), lost.backupId(), lost.session(), beats.size(), bytes, batches);
    return new OpenPacks(bytes, List.copyOf(batches));
  }
}
