package io.tidemark.activities.transfer;

import com.github.luben.zstd.EndDirective;
import com.github.luben.zstd.ZstdCompressCtx;
import io.tidemark.activities.repository.ObjectWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Turns one file into one frame: reads it in large chunks, checksums every byte, compresses with
 * a reused zstd context (frames carry zstd's own content checksum too) and writes the frame to the
 * pack. One instance per thread; it holds two direct buffers and up to two compression contexts.
 */
public final class FrameCompressor implements AutoCloseable {

  /**
   * Result of one file: bytes read from it, their CRC-32C, if asked their SHA-256, and the pieces
   * it was stored in (null: one frame).
   */
  public record Frame(long bytes, String checksum, String sha256, Pieces pieces) {}

  /** Sees every chunk of the file as it is read, before it is compressed. */
  @FunctionalInterface
  public interface ChunkListener {
    /** @param chunk the bytes read (read-only), starting at {@code offset} in the file */
    void chunk(ByteBuffer chunk, long offset) throws IOException;
  }

  private static final int CHUNK = 1 << 20;
  /**
   * Files this large are compressed by zstd's own worker threads (still one standard frame): a
   * 1 GiB relation segment would otherwise bound a backup at one core's zstd speed while the
   * other cores sit idle at the end of the copy.
   */
  public static final long PARALLEL_FILE_BYTES = 4L << 20;
  private static final int ZSTD_WORKERS = Math.min(4, Runtime.getRuntime().availableProcessors());
  /**
   * Files larger than this are stored in pieces of this size, each its own frame, for restores to
   * decode side by side. Large enough that a piece costs nothing in ratio or requests; small enough
   * that a 1 GiB segment gives every core of a restore several.
   */
  public static final long PIECE_BYTES = 32L << 20;

  private final int zstdLevel;
  private final long pieceBytes;
  private final ZstdCompressCtx zstd;
  private ZstdCompressCtx parallelZstd;
  /** Alignment of reads, so that files opened with O_DIRECT can be read: a page, a multiple of any block size. */
  private static final int ALIGN = 4096;

  private final ByteBuffer in = ByteBuffer.allocateDirect(CHUNK + ALIGN).alignedSlice(ALIGN);
  private final ByteBuffer out = ByteBuffer.allocateDirect(CHUNK + (CHUNK >> 7) + 1024);
  private final CRC32C crc = new CRC32C();

  /** @param zstdLevel 1..19, or 0 for frames stored as they are */
  public FrameCompressor(int zstdLevel) {
    this(zstdLevel, PIECE_BYTES);
  }

  /**
   * A compressor that makes one frame of every file however large: for WAL, whose archive objects
   * are read as one stream and need no pieces.
   */
  public static FrameCompressor oneFrame(int zstdLevel) {
    return new FrameCompressor(zstdLevel, Long.MAX_VALUE / CHUNK * CHUNK);
  }

  /** @param pieceBytes a multiple of the 1 MiB read size: tests store small files in pieces */
  public FrameCompressor(int zstdLevel, long pieceBytes) {
    if (pieceBytes <= 0 || pieceBytes % CHUNK != 0) {
      throw new IllegalArgumentException("piece size " + pieceBytes + " is not a positive multiple of " + CHUNK);
    }
    this.pieceBytes = pieceBytes;
    this.zstdLevel = zstdLevel;
    this.zstd = zstdLevel > 0 ? context(zstdLevel, 0) : null;
  }

  private static ZstdCompressCtx context(int level, int workers) {
    ZstdCompressCtx ctx = new ZstdCompressCtx();
    ctx.setLevel(level);
    ctx.setChecksum(true);
    if (workers > 1) {
      ctx.setWorkers(workers);
    }
    return ctx;
  }

  /** The context for a file of this size: the shared-worker one for large files. */
  private ZstdCompressCtx contextFor(long size) {
    if (zstd == null || size < PARALLEL_FILE_BYTES || ZSTD_WORKERS < 2) {
      return zstd;
    }
    if (parallelZstd == null) {
      parallelZstd = context(zstdLevel, ZSTD_WORKERS);
    }
    return parallelZstd;
  }

  public Codec codec() {
    return zstd == null ? Codec.NONE : Codec.ZSTD;
  }

  /**
   * Copies at most {@code limit} bytes from the start of {@code source}: a file that grows while
   * it is copied is cut at the size it had when listed, one that shrinks ends early; WAL replay
   * repairs both.
   *
   * @param listener sees every chunk: page checks, heartbeats
   */
  public Frame compress(FileChannel source, long limit, ObjectWriter target, ChunkListener listener) throws IOException {
    return compress(source, limit, target, listener, false);
  }

  /**
   * Reads and checksums like {@link #compress} but stores nothing: to prove that a file still holds
   * the bytes of a copy stored earlier.
   */
  public Frame digest(FileChannel source, long limit, ChunkListener listener, boolean sha256) throws IOException {
    return compress(source, limit, null, listener, sha256);
  }

  /** @param sha256 also compute the bytes' SHA-256 */
  public Frame compress(FileChannel source, long limit, ObjectWriter target, ChunkListener listener, boolean sha256)
      throws IOException {
    crc.reset();
    MessageDigest digest = sha256 ? sha256() : null;
    ZstdCompressCtx ctx = contextFor(limit);
    List<Long> pieceLengths = new ArrayList<>();
    long pieceStart = target == null ? 0 : target.position();
    long read = 0;
    while (read < limit) {
      // Never across a piece's end, even after a short read (a file truncated and extended meanwhile).
      int want = (int) Math.min(Math.min(CHUNK, limit - read), pieceBytes - read % pieceBytes);
      in.clear();
      in.limit((want + ALIGN - 1) / ALIGN * ALIGN);
      int n = source.read(in, read);
      if (n < 0) {
        break;
      }
      in.flip();
      if (n > want) {
        in.limit(want); // the file grew after it was listed: it is copied at its listed size
        n = want;
      }
      listener.chunk(in.asReadOnlyBuffer(), read);
      if (digest != null) {
        digest.update(in.duplicate());
      }
      crc.update(in);
      in.flip();
      read += n;
      if (target == null) {
        continue;
      }
      if (ctx == null) {
        target.write(in);
      } else {
        while (in.hasRemaining()) {
          out.clear();
          ctx.compressDirectByteBufferStream(out, in, EndDirective.CONTINUE);
          out.flip();
          target.write(out);
        }
      }
      if (read % pieceBytes == 0 && read < limit) {
        endFrame(ctx, target);
        pieceLengths.add(target.position() - pieceStart);
        pieceStart = target.position();
      }
    }
    Pieces pieces = null;
    if (target != null) {
      endFrame(ctx, target);
      if (!pieceLengths.isEmpty()) {
        long last = target.position() - pieceStart;
        if (last > 0) {
          pieceLengths.add(last);
        }
        pieces = pieceLengths.size() > 1 ? new Pieces(pieceBytes, pieceLengths) : null;
      }
    }
    return new Frame(read, Checksums.hex(crc), digest == null ? null : HexFormat.of().formatHex(digest.digest()),
        pieces);
  }

  /** Closes the frame being written (a no-op for frames stored as they are). */
  private void endFrame(ZstdCompressCtx ctx, ObjectWriter target) throws IOException {
    if (ctx == null) {
      return;
    }
    in.clear().flip();
    boolean done;
    do {
      out.clear();
      done = ctx.compressDirectByteBufferStream(out, in, EndDirective.END);
      out.flip();
      target.write(out);
    } while (!done);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    if (zstd != null) {
      zstd.close();
    }
    if (parallelZstd != null) {
      parallelZstd.close();
    }
  }
}
