package io.tidemark.activities.restore;

import io.tidemark.activities.transfer.StoredFile;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Cuts a batch's stored-file list into runs: files whose frames lie back to back in one pack, so
 * that one read fetches them all. A run holds at most {@code maxBytes} of frames, or one frame if
 * that alone is larger. Reads the list lazily: a run at a time is in memory.
 */
final class PackRuns {

  private final Iterator<StoredFile> list;
  private final long maxBytes;
  private final int skipBefore;
  private StoredFile pending;
  private int nextIndex;

  /** @param skipBefore files at earlier list positions are passed over: an earlier attempt wrote them */
  PackRuns(Iterator<StoredFile> list, long maxBytes, int skipBefore) {
    this.list = list;
    this.maxBytes = maxBytes;
    this.skipBefore = skipBefore;
  }

  /** The next run; empty at the end of the list. */
  List<StoredFile> next() {
    List<StoredFile> run = new ArrayList<>();
    long bytes = 0;
    while (true) {
      StoredFile file = pending != null ? pending : advance();
      pending = null;
      if (file == null) {
        return run;
      }
      if (!run.isEmpty()) {
        StoredFile last = run.get(run.size() - 1);
        boolean adjacent = file.pack().equals(last.pack()) && file.offset() == last.offset() + last.length();
        if (!adjacent || bytes + file.length() > maxBytes) {
          pending = file;
          return run;
        }
      }
      run.add(file);
      bytes += file.length();
      nextIndex++;
    }
  }

  /** List position after the last file handed out in a run. */
  int nextIndex() {
    return nextIndex;
  }

  private StoredFile advance() {
    while (list.hasNext()) {
      StoredFile file = list.next();
      if (nextIndex >= skipBefore) {
        return file;
      }
      nextIndex++;
    }
    return null;
  }
}
