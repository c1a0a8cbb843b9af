package io.tidemark.workflows.backup;

import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import io.tidemark.workflows.Failures;
import io.tidemark.workflows.activities.NodeBackupActivities;
import io.tidemark.workflows.model.NodeBackupRecord;
import org.slf4j.Logger;

/**
 * A node's backup is a sequence of backup sessions. A session lives on one PostgreSQL connection
 * in one worker process; if the connection breaks or the process dies, the session is lost and
 * the backup starts again with a new one.
 */
public class NodeBackupWorkflowImpl implements NodeBackupWorkflow {

  /** Each lost session costs its node a new start; a crash-proof backup rides out several dead workers. */
  static final int MAX_SESSIONS = 5;
  private static final Logger log = Workflow.getLogger(NodeBackupWorkflowImpl.class);

  @Override
  public NodeBackupRecord backup(NodeBackupInput input) {
    NodeBackupActivities agent = ActivityStubs.node(input.taskQueue(), input.walArchiveTimeoutSeconds());
    NodeBackupReporter reporter = NodeBackupReporter.forThisWorkflow(input.node());
    String lastLoss = null;
    long resentAfterLosses = 0;
    for (int session = 1; session <= MAX_SESSIONS; session++) {
      try {
        reporter.session(session);
        NodeBackupRecord record = new BackupSession(input, session, agent, reporter, resentAfterLosses).run();
        reporter.phase("done");
        if (record.corruptPages() > 0) {
          log.warn("node {}: {} data page(s) failed their checksum while copied, for example {}", input.node(),
              record.corruptPages(), record.corruptPageSamples().get(0));
        }
        return record;
      } catch (BackupSession.Lost lost) {
        lastLoss = lost.getMessage();
        resentAfterLosses += lost.resentBytes;
        reporter.resent(lost.resentBytes);
        log.warn("node {}: backup session {} lost ({}); starting a new one", input.node(), session, lastLoss);
      }
    }
    throw ApplicationFailure.newNonRetryableFailure(
        "node " + input.node() + " lost its backup session " + MAX_SESSIONS + " times; the last time: " + lastLoss,
        Failures.SESSION_LOST);
  }
}
