package io.tidemark.workers.bench;

/**
 * One timed run.
 *
 * @param kind what it is compared with: "ceiling", "pg_basebackup", "pgbackrest", "tidemark", "direct"
 * @param tool how the report names it, settings included
 * @param operation read, backup or restore
 * @param dataBytes the data set's size: MB/s is this over {@code seconds}
 * @param storedBytes what the backup takes in its repository, or 0
 * @param cpuSeconds CPU used by the tool's own processes (see the report's notes), or -1
 */
record Measurement(String kind, String tool, String operation, String dataSet, long dataBytes, double seconds,
    long storedBytes, double cpuSeconds) {

  double mbPerSecond() {
    return dataBytes / 1e6 / seconds;
  }
}
