package io.tidemark.workers.cli;

import io.tidemark.workflows.backup.BackupProgress;
import io.tidemark.workflows.backup.NodeBackupProgress;
import io.tidemark.workflows.restore.NodeStatus;
import io.tidemark.workflows.restore.RestoreStatus;
import java.util.List;
import java.util.stream.Collectors;

/** A cluster's progress summed over its nodes, for the progress line. */
final class ProgressSnapshots {

  private ProgressSnapshots() {}

  /** One node's share. */
  private record Part(long bytesDone, long bytes, long filesDone, long files, long rate, long eta, String label) {}

  static ProgressLine.Snapshot of(BackupProgress p) {
    return sum(p.phase(), p.nodes().stream().map(n -> {
      NodeBackupProgress np = n.progress();
      return new Part(np.bytesDone(), np.bytes(), np.filesDone(), np.files(), n.bytesPerSecond(), n.etaSeconds(),
          np.node() + " " + np.phase());
    }).toList());
  }

  static ProgressLine.Snapshot of(RestoreStatus s) {
    return sum(s.phase(), s.nodes().stream().map(n -> new Part(n.bytes(), n.totalBytes(), n.files(), n.totalFiles(),
        n.bytesPerSecond(), n.etaSeconds(), n.node() + " " + n.phase()
            + (n.phase().equals("fetching") ? " " + n.batchesDone() + "/" + n.batches() : ""))).toList());
  }

  /** Sums of the nodes' counts and rates; the time left is the slowest node's. */
  private static ProgressLine.Snapshot sum(String phase, List<Part> parts) {
    return new ProgressLine.Snapshot(phase,
        parts.stream().mapToLong(Part::bytesDone).sum(), parts.stream().mapToLong(Part::bytes).sum(),
        parts.stream().mapToLong(Part::filesDone).sum(), parts.stream().mapToLong(Part::files).sum(),
        parts.stream().mapToLong(Part::rate).sum(), parts.stream().mapToLong(Part::eta).max().orElse(-1),
        parts.stream().map(Part::label).collect(Collectors.joining(", ")));
  }
}
