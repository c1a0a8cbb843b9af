package io.tidemark.activities.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tidemark.activities.backup.BatchSender.Progress;
import io.tidemark.workflows.WorkflowIds;
import io.tidemark.workflows.activities.ClusterActivities.LostSession;
import io.tidemark.workflows.activities.ClusterActivities.OpenPacks;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which pending heartbeats count for a lost session. The server's side (describe, decoding) runs
 * against a real Temporal server in CrashIT; here a table of what a server would hold.
 */
class OpenPackCounterTest {

  static final String NODE = "tidemark-backup-main/20261121-101010F/n1";

  @Test
  void countsTheLostSessionsOpenPacksInTheNodeAndInItsPendingWindowsOnly() {
    Map<String, PendingHeartbeats.Pending<Progress>> server = Map.of(
        NODE, new PendingHeartbeats.Pending<>(List.of(
            new Progress(3, 1000, 2, 4),
            new Progress(0, 0, 2, 5),          // nothing read into a pack yet
            new Progress(7, 500_000, 1, 9),    // an earlier lost session's batch, still pending
            new Progress(2, 4000, 0, 0)),      // a heartbeat of an older worker: session unknown
            List.of(WorkflowIds.sendWindow(NODE, 2, 1), WorkflowIds.sendWindow(NODE, 1, 0), NODE + "/other")),
        WorkflowIds.sendWindow(NODE, 2, 1), new PendingHeartbeats.Pending<>(List.of(new Progress(1, 20, 2, 1500)), List.of()),
        WorkflowIds.sendWindow(NODE, 1, 0), new PendingHeartbeats.Pending<>(List.of(new Progress(1, 77, 1, 3)), List.of()));
    List<String> described = new ArrayList<>();
    PendingHeartbeats fake = new PendingHeartbeats() {
      @Override
      @SuppressWarnings("unchecked")
      public <T> Pending<T> pending(String workflowId, String runId, String activityType, Class<T> type) {
        described.add(workflowId + "@" + runId + " " + activityType);
        return (Pending<T>) server.getOrDefault(workflowId, Pending.none());
      }
    };

    OpenPacks open = new OpenPackCounter(fake).count(new LostSession("main", "n1", "20261121-101010F", 2, NODE, "run-1"));

    assertEquals(1020, open.bytes());
    assertEquals(List.of(4, 1500), open.batches());
    assertEquals(List.of(NODE + "@run-1 SendFiles", WorkflowIds.sendWindow(NODE, 2, 1) + "@ SendFiles"), described,
        "the node's run, and only the lost session's windows");
  }

  @Test
  void nothingPendingIsNothingToSendAgain() {
    OpenPacks open = new OpenPackCounter(PendingHeartbeats.none())
        .count(new LostSession("main", "n1", "20261121-101010F", 1, NODE, "run-1"));
    assertEquals(0, open.bytes());
    assertEquals(List.of(), open.batches());
  }
}
