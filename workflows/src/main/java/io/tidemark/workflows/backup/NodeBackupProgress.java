package io.tidemark.workflows.backup;

import io.tidemark.workflows.model.Reuse;

/**
 * Where one node's backup stands, as its child workflow reports it to the cluster backup.
 *
 * @param phase starting, listing, sending, stopping, archiving (waiting for WAL), manifest, done
 * @param session the backup session (a new one after each lost one)
 * @param files files listed in this session (0 until listed)
 * @param bytes their size
 * @param batches batches of the session
 * @param sendingSince when the session began to send, epoch milliseconds (0 before)
 * @param reuse files reused from lost sessions, bytes sent twice, so far
 */
public record NodeBackupProgress(String node, String phase, int session, long files, long bytes, int batches,
    int batchesDone, long filesDone, long bytesDone, long sendingSince, Reuse reuse) {

  /** Bytes a second since sending began, at {@code now}. */
  public long rate(long now) {
    long millis = now - sendingSince;
    return sendingSince == 0 || millis <= 0 ? 0 : bytesDone * 1000 / millis;
  }

  /** Seconds left at the current rate, or -1 if unknown. */
  public long etaSeconds(long now) {
    long rate = rate(now);
    return rate <= 0 || bytes == 0 ? -1 : Math.max(0, bytes - bytesDone) / rate;
  }
}
