package io.tidemark.activities.restore;

import io.tidemark.activities.repository.Repository;
import io.tidemark.activities.runtime.DaemonThreads;
import io.tidemark.activities.transfer.Checksums;
import io.tidemark.activities.transfer.FrameDecoder;
import io.tidemark.activities.transfer.FrameReader;
import io.tidemark.activities.transfer.Pieces;
import io.tidemark.activities.transfer.StoredFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Writes a file stored in pieces with several pieces at once: each piece is its own ranged read,
 * decoded on its own thread straight to its place in the file. The pieces' checksums combine into
 * the file's, which must be the one recorded, as for a file decoded in one go. Without this, the
 * last 1 GiB segment of a restore is decoded by one core while the others wait.
 */
final class PieceFetcher implements AutoCloseable {

  /** Pieces in flight: every core decoding, and one more to keep reads ahead on a slow store. */
  static final int THREADS = Runtime.getRuntime().availableProcessors() + 1;

  /** Called while the pieces are on their way; throws if the fetch must stop. */
  interface Waiting {
    void stillWaiting() throws IOException;
  }

  /**
   * Pieces go side by side only for files that compressed less than this: there decoding is the
   * bound (random text, 2.3×: about 0.9 GB/s per core). A file that compressed well (pgbench's
   * tables, 40×) decodes far faster than one thread writes it, and several threads writing one file
   * only contend for its inode lock: pgbench's restore took 5.7 s with one thread per file and
   * 6.1–6.8 s in pieces, with a fifth more CPU.
   */
  static final long MAX_RATIO = 8;

  /** Whether the file is stored in pieces and slow enough to decode that they should go side by side. */
  static boolean worthIt(StoredFile file) {
    return file.pieces() != null && file.length() * MAX_RATIO > file.size();
  }

  private final Repository repo;
  private final ExecutorService pool = Executors.newFixedThreadPool(THREADS, DaemonThreads.named("tidemark-piece"));
  private final BlockingQueue<FrameDecoder> decoders = new ArrayBlockingQueue<>(THREADS);
  private final List<FrameDecoder> made = new ArrayList<>();

  PieceFetcher(Repository repo) {
    this.repo = repo;
  }

  /**
   * Writes the file's bytes into {@code out}, which starts empty.
   *
   * @param key the pack holding the file
   * @param written told of each piece written, from the piece's thread
   * @throws FrameReader.CorruptFileException if any piece, or the whole, is not what was recorded
   */
  void fetch(StoredFile file, String key, TargetFile out, PieceWritten written, Waiting waiting) throws IOException {
    Pieces pieces = file.pieces();
    List<Future<Integer>> inFlight = new ArrayList<>(pieces.count());
    try {
      for (int i = 0; i < pieces.count(); i++) {
        int piece = i;
        inFlight.add(pool.submit(() -> writePiece(file, piece, key, out, written)));
      }
      int crc = 0; // the CRC-32C of nothing, which any piece's combines with
      long total = 0;
      for (int i = 0; i < inFlight.size(); i++) {
        long bytes = pieces.fileBytes(i, file.size());
        crc = Checksums.combine(crc, await(inFlight.get(i), waiting), bytes);
        total += bytes;
      }
      FrameDecoder.checkWhole(file, key, total, crc);
    } finally {
      for (Future<Integer> f : inFlight) {
        f.cancel(true);
      }
    }
  }

  /** Told when a piece is in the file (not yet synced). */
  interface PieceWritten {
    void written(TargetFile file);
  }

  private int writePiece(StoredFile file, int piece, String key, TargetFile out, PieceWritten written)
      throws IOException, InterruptedException {
    FrameDecoder decoder = decoder();
    Pieces pieces = file.pieces();
    try (InputStream frame = repo.read(key, file.offset() + pieces.storedOffset(piece), pieces.lengths().get(piece))) {
      int crc = decoder.decodePiece(frame, file, piece, key, out.from(pieces.fileOffset(piece)));
      written.written(out);
      return crc;
    } finally {
      decoders.put(decoder);
    }
  }

  private synchronized FrameDecoder decoder() {
    FrameDecoder free = decoders.poll();
    if (free != null) {
      return free;
    }
    FrameDecoder fresh = new FrameDecoder();
    made.add(fresh);
    return fresh;
  }

  private static int await(Future<Integer> piece, Waiting waiting) throws IOException {
    while (true) {
      try {
        return piece.get(1, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        waiting.stillWaiting();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("stopped while pieces were written");
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof IOException io) {
          throw io;
        }
        if (cause instanceof RuntimeException re) {
          throw re;
        }
        throw new UncheckedIOException(new IOException(cause));
      }
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
    try {
      pool.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      made.forEach(FrameDecoder::close);
    }
  }
}
