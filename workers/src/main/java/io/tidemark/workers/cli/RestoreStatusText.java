package io.tidemark.workers.cli;

import io.tidemark.workflows.restore.NodeStatus;
import io.tidemark.workflows.restore.RecoveryTarget;
import io.tidemark.workflows.restore.RestoreStatus;

/** A cluster restore's status as lines a person reads, with the next commands when a node waits. */
final class RestoreStatusText {

  private RestoreStatusText() {}

  static void print(RestoreStatus s, Output out) {
    out.line("restore " + s.restoreId() + " of backup " + s.backupId() + " (cluster " + s.cluster() + ") to "
        + describe(s.target()) + ": " + s.phase());
    for (NodeStatus n : s.nodes()) {
      StringBuilder line = new StringBuilder("  ").append(pad(n.node(), 12)).append(pad(n.phase(), 12))
          .append("attempt ").append(n.attempt()).append("  ").append(n.dataDirectory()).append(" port ").append(n.port())
          .append("  ").append(n.batchesDone()).append('/').append(n.batches()).append(" batches, ")
          .append(Output.bytes(n.bytes()));
      if (n.result() != null && n.result().state() != null) {
        line.append("  ").append(n.result().state()).append(" at ").append(n.result().lsn());
      }
      out.line(line.toString());
      if (n.error() != null) {
        out.line("      error: " + n.error());
      }
    }
    if (s.afterRestore() != null) {
      out.line("  afterRestore: " + s.afterRestore());
    }
    s.nodes().stream().filter(n -> NodeStatus.FAILED.equals(n.phase())).findFirst().ifPresent(n -> {
      out.line("next: fix the cause, then  tidemark retry-node --restore " + s.restoreId() + " --node " + n.node()
          + " [--data-directory DIR] [--port N] [--task-queue QUEUE]");
      out.line("      or give the node up:  tidemark abandon-node --restore " + s.restoreId() + " --node " + n.node()
          + " [--reason TEXT]");
    });
  }

  static String describe(RecoveryTarget t) {
    if (t == null) {
      return "(not yet resolved)";
    }
    return switch (t.kind()) {
      case "immediate" -> "the backup's end";
      case "latest" -> "the latest archived WAL";
      case "name" -> "restore point " + t.name();
      case "time" -> "time " + t.time();
      case "xid" -> "transaction " + t.xid();
      default -> "LSN " + t.lsn();
    };
  }

  private static String pad(String s, int width) {
    String v = s == null ? "" : s;
    return v.length() >= width ? v + " " : v + " ".repeat(width - v.length());
  }
}
