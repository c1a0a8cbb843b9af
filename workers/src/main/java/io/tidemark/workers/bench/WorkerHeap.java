package io.tidemark.workers.bench;

/** What one worker JVM's memory went through over all of its runs. */
record WorkerHeap(String repository, GcLog.HeapUse heap, long peakResidentBytes, String runs) {}
