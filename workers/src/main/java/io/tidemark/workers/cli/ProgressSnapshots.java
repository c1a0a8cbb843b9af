package io.tidemark.workers.cli;

import io.tidemark.workflows.backup.BackupProgress;
import io.tidemark.workflows.backup.NodeBackupProgress;
import io.tidemark.workflows.restore.NodeStatus;
import io.tidemark.workflows.restore.RestoreStatus;
import java.util.ArrayList;
import java.util.List;

/** A cluster's progress summed over its nodes, for the progress line. */
final class ProgressSnapshots {

  private ProgressSnapshots() {}

  static ProgressLine.Snapshot of(BackupProgress p) {
    long bytesDone = 0;
    long bytes = 0;
    long filesDone = 0;
    long files = 0;
    long rate = 0;
    long eta = -1;
    List<String> nodes = new ArrayList<>();
    for (BackupProgress.Node n : p.nodes()) {
      NodeBackupProgress np = n.progress();
      bytesDone += np.bytesDone();
      bytes += np.bytes();
      filesDone += np.filesDone();
      files += np.files();
      rate += n.bytesPerSecond();
      eta = Math.max(eta, n.etaSeconds());
      nodes.add(np.node() + " " + np.phase());
    }
    return new ProgressLine.Snapshot(p.phase(), bytesDone, bytes, filesDone, files, rate, eta, String.join(", ", nodes));
  }

  static ProgressLine.Snapshot of(RestoreStatus s) {
    long bytesDone = 0;
    long bytes = 0;
    long filesDone = 0;
    long files = 0;
    long rate = 0;
    long eta = -1;
    List<String> nodes = new ArrayList<>();
    for (NodeStatus n : s.nodes()) {
      bytesDone += n.bytes();
      bytes += n.totalBytes();
      filesDone += n.files();
      files += n.totalFiles();
      rate += n.bytesPerSecond();
      eta = Math.max(eta, n.etaSeconds());
      nodes.add(n.node() + " " + n.phase() + (n.phase().equals("fetching") ? " " + n.batchesDone() + "/" + n.batches() : ""));
    }
    return new ProgressLine.Snapshot(s.phase(), bytesDone, bytes, filesDone, files, rate, eta, String.join(", ", nodes));
  }
}
