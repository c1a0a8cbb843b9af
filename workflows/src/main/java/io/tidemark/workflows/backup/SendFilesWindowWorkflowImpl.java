package io.tidemark.workflows.backup;

import io.temporal.workflow.Async;
import io.tidemark.workflows.BatchWindow;
import io.tidemark.workflows.activities.NodeBackupActivities;
import io.tidemark.workflows.activities.NodeBackupActivities.BatchResult;
import io.tidemark.workflows.activities.NodeBackupActivities.SendFilesInput;

public class SendFilesWindowWorkflowImpl implements SendFilesWindowWorkflow {

  @Override
  public BatchResult send(Input in) {
    NodeBackupActivities agent = ActivityStubs.node(in.taskQueue(), in.walArchiveTimeoutSeconds());
    BatchTotals totals = new BatchTotals();
    BatchWindow.run(in.from(), in.to(), in.parallelism(),
        b -> Async.function(agent::sendFiles, numbered(in.batch(), b)), totals::add);
    return totals.asResult(in.from());
  }

  static SendFilesInput numbered(SendFilesInput template, int batch) {
    return new SendFilesInput(template.cluster(), template.node(), template.backupId(), template.session(), batch,
        template.verifyPageChecksums(), template.startLsn(), template.sha256());
  }
}
