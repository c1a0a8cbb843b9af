package io.tidemark.workers.bench;

/**
 * The same transfer through Temporal and without it.
 *
 * @param workflowSeconds the whole workflow, start request to result (a backup adds its checkpoint,
 *     pg_backup_stop, the WAL wait and the restore point; a restore its preparation and recovery settings)
 * @param transferSeconds the workflow's transfer only: first file-list or fetch scheduled to last batch done
 * @param directSeconds the engine called directly on the same files
 */
record Overhead(String dataSet, String operation, int parallelism, double workflowSeconds, double transferSeconds,
    double directSeconds) {

  double wholePercent() {
    return (workflowSeconds / directSeconds - 1) * 100;
  }

  double transferPercent() {
    return (transferSeconds / directSeconds - 1) * 100;
  }
}
