package io.tidemark.activities.wal;

import io.tidemark.activities.runtime.DaemonThreads;
import io.tidemark.activities.wal.spool.FileChecksum;
import io.tidemark.activities.wal.spool.PushStatsFile;
import io.tidemark.activities.wal.spool.PushLock;
import io.tidemark.activities.wal.spool.PushTiming;
import io.tidemark.activities.wal.spool.ReadyQueue;
import io.tidemark.activities.wal.spool.SpoolEntry;
import io.tidemark.activities.wal.spool.WalSpool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * wal-push that keeps up: besides the file PostgreSQL asks for, it archives the next files waiting
 * in archive_status, in parallel, and marks each one in the spool once the repository has
 * confirmed it. When PostgreSQL asks for a marked file, the mark is checked against the file (size
 * and checksum) and removed, and the call succeeds without touching the repository. How long each
 * transfer took goes into the spool's {@link PushStatsFile}, for the node agent to export.
 */
public final class WalPushAhead {

  /**
   * @param pushedAhead files archived and marked besides the one asked for
   * @param failedAhead files whose push ahead failed (not marked; PostgreSQL pushes them later)
   */
  public record Result(WalPusher.Outcome outcome, int pushedAhead, List<String> failedAhead) {}

  private final WalSpool marks;
  private final PushStatsFile stats;
  private final int ahead;
  private final int threads;

  public WalPushAhead(WalSpool marks, int ahead, int threads) {
    this.marks = marks;
    this.stats = PushStatsFile.in(marks);
    this.ahead = ahead;
    this.threads = Math.max(1, threads);
  }

  /**
   * Whether the file was archived ahead by an earlier call: its mark is there and records the
   * file's current size and checksum. The mark is removed either way; a mark that does not match
   * means the file must be pushed now.
   */
  public boolean consumeMark(Path file) throws IOException {
    String name = file.getFileName().toString();
    Optional<SpoolEntry> mark = marks.find(name);
    if (mark.isEmpty()) {
      return false;
    }
    marks.remove(mark.get());
    if (FileChecksum.of(file).matches(mark.get())) {
      marks.log(name + " was archived ahead: success at once");
      return true;
    }
    marks.log(name + " has another size or checksum than when it was archived ahead; pushing it again");
    return false;
  }

  /**
   * Pushes the file and up to {@code ahead} more files waiting in its pg_wal's archive_status, in
   * parallel. Returns when every push has ended; fails only if the file asked for failed.
   */
  public Result push(WalPusher pusher, String cluster, String node, Path file) throws IOException {
    long started = System.nanoTime();
    marks.sweepAbandoned();
    String name = file.getFileName().toString();
    Path pgWal = file.toAbsolutePath().getParent();
    List<String> ready = new ReadyQueue(pgWal).ready();
    Set<String> marked = new HashSet<>();
    for (SpoolEntry m : marks.entries()) {
      if (ready.contains(m.walName())) {
        marked.add(m.walName());
      } else {
        marks.remove(m); // PostgreSQL is done with that file (or it is gone): the mark has no use
      }
    }
    marked.add(name);
    List<String> next = ahead == 0 ? List.of() : ReadyQueue.next(ready, marked, ahead);
    ExecutorService pool =
        Executors.newFixedThreadPool(Math.min(threads, next.size() + 1), DaemonThreads.named("wal-push"));
    List<PushTiming> timings = Collections.synchronizedList(new ArrayList<>());
    try {
      Future<WalPusher.Outcome> asked =
          pool.submit(() -> timed(PushTiming.ASKED, file, timings, () -> locked(pusher, cluster, node, file)));
      List<Future<Boolean>> others = new ArrayList<>();
      for (String n : next) {
        others.add(pool.submit(
            (Callable<Boolean>) () -> pushAndMark(pusher, cluster, node, pgWal.resolve(n), timings)));
      }
      int pushed = 0;
      List<String> failed = new ArrayList<>();
      for (int i = 0; i < next.size(); i++) {
        try {
          pushed += others.get(i).get() ? 1 : 0;
        } catch (ExecutionException e) {
          failed.add(next.get(i));
          marks.log("could not archive " + next.get(i) + " ahead (not marked): " + e.getCause());
        }
      }
      WalPusher.Outcome outcome;
      try {
        outcome = asked.get();
      } catch (ExecutionException e) {
        marks.log("archiving " + name + " failed: " + e.getCause());
        throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
      }
      marks.log(name + " " + outcome.name().toLowerCase() + ", " + pushed + " archived ahead, "
          + (System.nanoTime() - started) / 1_000_000 + " ms");
      return new Result(outcome, pushed, failed);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while archiving " + name, e);
    } finally {
      pool.shutdownNow();
      record(timings);
    }
  }

  /** Pushes one file ahead and marks it, only after the repository confirmed it. */
  private boolean pushAndMark(WalPusher pusher, String cluster, String node, Path file, List<PushTiming> timings)
      throws IOException {
    FileChecksum sum;
    try {
      sum = FileChecksum.of(file);
    } catch (NoSuchFileException gone) {
      return false; // archived and removed meanwhile
    }
    timed(PushTiming.AHEAD, file, timings, () -> locked(pusher, cluster, node, file));
    marks.mark(file.getFileName().toString(), sum);
    return true;
  }

  /** Stores the file holding its lock: the node agent may be pushing it too ({@link ReadyWalPush}). */
  private static WalPusher.Outcome locked(WalPusher pusher, String cluster, String node, Path file)
      throws IOException {
    String name = file.getFileName().toString();
    try (PushLock.Held held = PushLock.of(file.toAbsolutePath().getParent()).lock(name)) {
      return pusher.store(cluster, node, file);
    }
  }

  private interface Store {
    WalPusher.Outcome run() throws IOException;
  }

  /** Runs one transfer and notes how long it took, what came of it and the file's size. */
  private static WalPusher.Outcome timed(String push, Path file, List<PushTiming> timings, Store store)
      throws IOException {
    long bytes;
    try {
      bytes = Files.size(file);
    } catch (IOException unreadable) {
      bytes = 0; // the transfer fails on it too, and says why
    }
    long started = System.nanoTime();
    String outcome = PushTiming.FAILED;
    try {
      WalPusher.Outcome o = store.run();
      outcome = o == WalPusher.Outcome.STORED ? PushTiming.STORED : PushTiming.ALREADY_ARCHIVED;
      return o;
    } finally {
      timings.add(new PushTiming(push, outcome, System.nanoTime() - started, bytes));
    }
  }

  /** Adds this call's transfers to the spool's stats; a failure there never fails the push. */
  private void record(List<PushTiming> timings) {
    List<PushTiming> done;
    synchronized (timings) {
      done = List.copyOf(timings);
    }
    try {
      if (!stats.add(done, System.currentTimeMillis())) {
        marks.log("push times not recorded: " + PushStatsFile.NAME + " stayed locked by another process");
      }
    } catch (IOException | RuntimeException e) {
      marks.log("push times not recorded: " + e);
    }
  }
}
