package io.tidemark.workers.bench;

import com.github.luben.zstd.EndDirective;
import com.github.luben.zstd.ZstdCompressCtx;
import io.tidemark.activities.pages.PageChecksum;
import io.tidemark.activities.pages.PageVerifier;
import io.tidemark.activities.repository.ObjectWriter;
import io.tidemark.activities.transfer.FrameCompressor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32C;

/**
 * What one thread of Tidemark's backup path can do per second on one file, stage by stage, with
 * the file in the page cache: reading it, CRC-32C, the page checksum check, zstd level 1, and
 * the engine's own per-file step (FrameCompressor with the page verifier, as SendFiles runs it).
 * A file's bytes go through one thread, so the slowest of these bounds any one large file.
 */
final class StageRates {

  private static final int CHUNK = 1 << 20;

  private StageRates() {}

  /** A markdown table for the largest data file of each data set. */
  static String measure(List<DataSet> sets) throws IOException {
    List<String> s = new ArrayList<>();
    s.add("| data set | file | MB | read | CRC-32C | page checksums | zstd -1 (ratio) | engine per file (read + pages + CRC + zstd) |");
    s.add("|---|---|---:|---:|---:|---:|---:|---:|");
    for (DataSet set : sets) {
      Path file = Dirs.dataFiles(set.dataDirectory()).stream()
          .max(Comparator.comparingLong(p -> p.toFile().length())).orElseThrow();
      long size = Files.size(file);
      read(file);  // into the page cache: these are CPU rates
      double read = rate(size, () -> read(file));
      double crc = rate(size, () -> crc(file));
      double pages = rate(size, () -> pages(file));
      long[] stored = new long[1];
      double zstd = rate(size, () -> stored[0] = zstd(file));
      double engine = rate(size, () -> engine(file, set.dataDirectory().relativize(file).toString()));
      s.add(String.format(Locale.ROOT, "| %s | %s | %s | %.0f | %.0f | %.0f | %.0f (%.1f×) | %.0f |", set.name(),
          set.dataDirectory().relativize(file), Report.mb(size), read, crc, pages, zstd, (double) size / stored[0],
          engine));
    }
    return String.join("\n", s);
  }

  private interface Pass {
    void run() throws IOException;
  }

  /** MB/s of the faster of two passes (the first warms the JIT). */
  private static double rate(long bytes, Pass pass) throws IOException {
    double best = Double.MAX_VALUE;
    for (int i = 0; i < 2; i++) {
      long start = System.nanoTime();
      pass.run();
      best = Math.min(best, (System.nanoTime() - start) / 1e9);
    }
    return bytes / 1e6 / best;
  }

  private interface ChunkUser {
    void use(ByteBuffer chunk, long offset) throws IOException;
  }

  private static void chunks(Path file, ChunkUser user) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long at = 0;
      for (int n = ch.read(buffer.clear(), at); n > 0; n = ch.read(buffer.clear(), at)) {
        buffer.flip();
        user.use(buffer, at);
        at += n;
      }
    }
  }

  private static void read(Path file) throws IOException {
    chunks(file, (chunk, at) -> { });
  }

  private static void crc(Path file) throws IOException {
    CRC32C crc = new CRC32C();
    chunks(file, (chunk, at) -> crc.update(chunk));
  }

  private static void pages(Path file) throws IOException {
    PageChecksum.Calculator checksum = new PageChecksum.Calculator();
    chunks(file, (chunk, at) -> {
      for (int p = chunk.position(); p + PageChecksum.PAGE_SIZE <= chunk.limit(); p += PageChecksum.PAGE_SIZE) {
        checksum.compute(chunk.duplicate().position(p), at / PageChecksum.PAGE_SIZE);
      }
    });
  }

  private static long zstd(Path file) throws IOException {
    ByteBuffer out = ByteBuffer.allocateDirect(CHUNK + (CHUNK >> 7) + 1024);
    long[] stored = new long[1];
    try (ZstdCompressCtx ctx = new ZstdCompressCtx()) {
      ctx.setLevel(1);
      chunks(file, (chunk, at) -> {
        while (chunk.hasRemaining()) {
          out.clear();
          ctx.compressDirectByteBufferStream(out, chunk, EndDirective.CONTINUE);
          stored[0] += out.position();
        }
      });
      ByteBuffer empty = ByteBuffer.allocateDirect(0);
      boolean done;
      do {
        out.clear();
        done = ctx.compressDirectByteBufferStream(out, empty, EndDirective.END);
        stored[0] += out.position();
      } while (!done);
    }
    return stored[0];
  }

  private static void engine(Path file, String relativePath) throws IOException {
    try (FrameCompressor compressor = new FrameCompressor(1)) {
      engine(compressor, file, relativePath);
    }
  }

  /** One file through the engine's per-file step, with a compressor a thread keeps, as SendFiles does. */
  static void engine(FrameCompressor compressor, Path file, String relativePath) throws IOException {
    try (FileChannel source = FileChannel.open(file, StandardOpenOption.READ);
        ObjectWriter sink = new Discard()) {
      // Every page is checked, as for a file unchanged since the backup started (-1: the highest LSN).
      PageVerifier pages = PageVerifier.forFile(relativePath, source, -1L);
      compressor.compress(source, Files.size(file), sink, (chunk, at) -> {
        if (pages != null) {
          pages.inspect(chunk, at);
        }
      });
    }
  }

  /** An object nobody keeps: the repository's cost is left out. */
  static final class Discard extends ObjectWriter {
    @Override
    protected void append(byte[] b, int off, int len) { }

    @Override
    protected void append(ByteBuffer buffer) {
      buffer.position(buffer.limit());
    }

    @Override
    protected void doCommit() { }

    @Override
    protected void doAbort() { }
  }
}
