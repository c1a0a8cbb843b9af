package io.tidemark.activities.wal;

import io.tidemark.activities.runtime.DaemonThreads;
import io.tidemark.activities.wal.spool.FileChecksum;
import io.tidemark.activities.wal.spool.PrefetchPlan;
import io.tidemark.activities.wal.spool.SpoolEntry;
import io.tidemark.activities.wal.spool.WalSpool;
import io.tidemark.workflows.model.WalFileName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * wal-fetch with a spool: hands PostgreSQL its segment from the spool when an intact copy is there
 * (else from the repository), then fetches the following segments into the spool in parallel, so
 * that the next calls find theirs waiting. A spooled file whose size or checksum is not what its name
 * says is deleted and fetched again; a segment ahead that the archive lacks is simply not spooled
 * (it may not exist yet).
 */
public final class WalPrefetcher {

  public enum Source { SPOOL, REPOSITORY, NOT_IN_ARCHIVE }

  /**
   * @param spooledAhead segments this call fetched into the spool
   * @param rejected a spooled copy of the segment was damaged and fetched again
   */
  public record Result(Source source, int spooledAhead, boolean rejected) {
    public WalFetcher.Outcome outcome() {
      return source == Source.NOT_IN_ARCHIVE ? WalFetcher.Outcome.NOT_IN_ARCHIVE : WalFetcher.Outcome.FETCHED;
    }
  }

  private final WalFetcher fetcher;
  private final WalSpool spool;
  private final int window;
  private final int threads;

  public WalPrefetcher(WalFetcher fetcher, WalSpool spool, int window, int threads) {
    this.fetcher = fetcher;
    this.spool = spool;
    this.window = window;
    this.threads = Math.max(1, threads);
  }

  public Result fetch(String cluster, String node, String name, Path destination) throws IOException {
    if (!WalFileName.isArchivable(name)) {
      throw new IOException("'" + name + "' is not a WAL file name");
    }
    long started = System.nanoTime();
    spool.sweepAbandoned();
    if (!WalFileName.isSegment(name)) {
      // history and backup history files: small, asked for once
      WalFetcher.Outcome o = fetcher.fetch(cluster, node, name, destination);
      return new Result(o == WalFetcher.Outcome.FETCHED ? Source.REPOSITORY : Source.NOT_IN_ARCHIVE, 0, false);
    }
    boolean rejected = false;
    Source source;
    long segmentSize;
    Optional<SpoolEntry> spooled = spool.find(name);
    if (spooled.isPresent() && PrefetchPlan.isSegmentSize(spooled.get().size()) && spool.isIntact(spooled.get())) {
      spool.moveOut(spooled.get(), destination);
      source = Source.SPOOL;
      segmentSize = spooled.get().size();
    } else {
      if (spooled.isPresent()) {
        spool.remove(spooled.get());
        rejected = true;
        spool.log("rejected " + spooled.get().walName() + " in the spool: not the size and checksum its name records;"
            + " fetching it again");
      }
      if (fetcher.fetch(cluster, node, name, destination) == WalFetcher.Outcome.NOT_IN_ARCHIVE) {
        // nothing ahead: segments after a missing one are not needed before it exists
        spool.log(name + " not in the archive");
        return new Result(Source.NOT_IN_ARCHIVE, 0, rejected);
      }
      source = Source.REPOSITORY;
      segmentSize = Files.size(destination);
    }
    int ahead = 0;
    if (PrefetchPlan.isSegmentSize(segmentSize)) {
      PrefetchPlan plan = PrefetchPlan.of(name, segmentSize, window, spool.entries(), source == Source.SPOOL);
      for (SpoolEntry old : plan.obsolete()) {
        spool.remove(old);
      }
      ahead = fetchAhead(cluster, node, plan.fetch());
    }
    spool.log(name + " from " + (source == Source.SPOOL ? "spool" : "repository") + ", " + ahead + " fetched ahead, "
        + (System.nanoTime() - started) / 1_000_000 + " ms");
    return new Result(source, ahead, rejected);
  }

  /** Fetches the segments into the spool in parallel; returns how many the archive had. */
  private int fetchAhead(String cluster, String node, List<String> names) {
    if (names.isEmpty()) {
      return 0;
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(Math.min(threads, names.size()), DaemonThreads.named("wal-prefetch"));
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (String n : names) {
        results.add(pool.submit((Callable<Boolean>) () -> fetchIntoSpool(cluster, node, n)));
      }
      int fetched = 0;
      for (int i = 0; i < names.size(); i++) {
        try {
          fetched += results.get(i).get() ? 1 : 0;
        } catch (ExecutionException e) {
          // not fatal: PostgreSQL asks for the segment later and that call reports the failure
          spool.log("could not fetch " + names.get(i) + " ahead: " + e.getCause());
        }
      }
      return fetched;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    } finally {
      pool.shutdownNow();
    }
  }

  private boolean fetchIntoSpool(String cluster, String node, String name) throws IOException {
    Path temp = spool.newTemporary(name);
    // no fsync: a spooled file is checked against its checksum before it is served
    FileChecksum sum = fetcher.download(cluster, node, name, temp, false);
    if (sum == null) {
      return false;
    }
    spool.publish(temp, name, sum);
    return true;
  }
}
