package io.tidemark.workflows.backup;

import io.tidemark.workflows.activities.NodeBackupActivities.BatchResult;
import io.tidemark.workflows.model.Reuse;
import java.util.ArrayList;
import java.util.List;

/** SendFiles results added up, in workflow code: per session, and per window of batches. */
final class BatchTotals {

  /** Pages named, at most; the count has them all. */
  static final int CORRUPT_PAGE_SAMPLES = 50;

  long files;
  long bytes;
  long storedBytes;
  long vanished;
  long resumed;
  long corruptPages;
  final List<String> corruptPageSamples = new ArrayList<>();
  Reuse reuse = Reuse.NONE;

  void add(BatchResult r) {
    files += r.files();
    bytes += r.bytes();
    storedBytes += r.storedBytes();
    vanished += r.vanished();
    resumed += r.resumed();
    corruptPages += r.corruptPages();
    reuse = reuse.plus(r.reuse());
    if (r.corruptPageSamples() != null) {
      for (String page : r.corruptPageSamples()) {
        if (corruptPageSamples.size() < CORRUPT_PAGE_SAMPLES) {
          corruptPageSamples.add(page);
        }
      }
    }
  }

  List<String> samples() {
    return corruptPageSamples.isEmpty() ? null : List.copyOf(corruptPageSamples);
  }

  BatchResult asResult(int batch) {
    return new BatchResult(batch, files, bytes, storedBytes, vanished, resumed, corruptPages, samples(), reuse);
  }
}
