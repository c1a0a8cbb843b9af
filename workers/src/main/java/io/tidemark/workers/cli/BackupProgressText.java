package io.tidemark.workers.cli;

import io.tidemark.workflows.backup.BackupProgress;
import io.tidemark.workflows.backup.NodeBackupProgress;
import io.tidemark.workflows.model.Reuse;

/** A running backup's progress as lines a person reads. */
final class BackupProgressText {

  private BackupProgressText() {}

  static void print(BackupProgress p, Output out) {
    out.line("backup " + (p.backupId() == null ? "(id not yet taken)" : p.backupId()) + " of cluster " + p.cluster()
        + ": " + p.phase());
    for (BackupProgress.Node n : p.nodes()) {
      NodeBackupProgress np = n.progress();
      StringBuilder line = new StringBuilder("  ").append(pad(np.node(), 12)).append(pad(np.phase(), 11))
          .append("session ").append(np.session()).append("  ");
      if (np.batches() > 0) {
        line.append(np.filesDone()).append('/').append(np.files()).append(" files, ")
            .append(Output.bytes(np.bytesDone())).append('/').append(Output.bytes(np.bytes()))
            .append(" (").append(np.bytes() == 0 ? 100 : np.bytesDone() * 100 / np.bytes()).append("%)");
        if (n.bytesPerSecond() > 0) {
          line.append(", ").append(Output.bytes(n.bytesPerSecond())).append("/s");
        }
        if (n.etaSeconds() >= 0 && np.bytesDone() < np.bytes()) {
          line.append(", about ").append(Output.duration(n.etaSeconds() * 1000)).append(" left");
        }
      }
      out.line(line.toString());
      Reuse r = np.reuse();
      if (r != null && (r.reusedFiles() > 0 || r.resentBytes() > 0)) {
        out.line("      after crashes: " + r.reusedFiles() + " files (" + Output.bytes(r.reusedBytes())
            + ") reused from lost sessions, " + Output.bytes(r.resentBytes()) + " sent again");
      }
    }
  }

  private static String pad(String s, int width) {
    String v = s == null ? "" : s;
    return v.length() >= width ? v + " " : v + " ".repeat(width - v.length());
  }
}
