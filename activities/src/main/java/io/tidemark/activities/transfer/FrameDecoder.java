package io.tidemark.activities.transfer;

import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import io.tidemark.activities.repository.BoundedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.zip.CRC32C;

/**
 * Turns one stored frame back into the file's bytes, checked: reads the frame in large steps,
 * decodes it with a reused zstd context into a direct buffer that goes straight to the target
 * channel, and checks size and CRC-32C against the list as the bytes pass; a file stored in pieces
 * is decoded piece after piece, or one piece at a time by {@link #decodePiece}. One instance per
 * thread; it holds two direct buffers (1 MiB each for a restore), a staging array and a context.
 */
public final class FrameDecoder implements AutoCloseable {

  /**
   * The output buffer starts on a page, and every write but a frame's last is the whole buffer: a
   * restore can write such a buffer with O_DIRECT.
   */
  private static final int ALIGN = 4096;

  /** Buffers of a restore's decoder, which writes large files. */
  public static final int RESTORE_BUFFER = 1 << 20;

  private final ZstdDecompressCtx zstd = new ZstdDecompressCtx();
  private final ByteBuffer in;
  private final ByteBuffer out;
  private final byte[] staging;
  private final CRC32C crc = new CRC32C();

  public FrameDecoder() {
    this(RESTORE_BUFFER);
  }

  /** @param bufferBytes the size of each of the two direct buffers */
  public FrameDecoder(int bufferBytes) {
    in = ByteBuffer.allocateDirect(bufferBytes);
    out = ByteBuffer.allocateDirect(bufferBytes + 2 * ALIGN).alignedSlice(ALIGN).limit(bufferBytes).slice();
    staging = new byte[Math.max(8192, bufferBytes / 4)];
  }

  /**
   * Writes the file's bytes to {@code target}.
   *
   * @param frame exactly the frame's {@code file.length()} bytes
   * @param key the object holding it, for messages
   * @throws FrameReader.CorruptFileException if the frame does not hold exactly the recorded bytes
   */
  public void decode(InputStream frame, StoredFile file, String key, WritableByteChannel target) throws IOException {
    crc.reset();
    long total;
    Pieces pieces = file.pieces();
    if (pieces == null) {
      total = decodeFrame(frame, file, key, target);
    } else {
      total = 0;
      for (int i = 0; i < pieces.count(); i++) {
        long bytes = decodeFrame(new BoundedInputStream(frame, pieces.lengths().get(i)), file, key, target);
        checkPieceSize(file, key, i, bytes);
        total += bytes;
      }
      if (frame.read() >= 0) {
        throw new FrameReader.CorruptFileException(file, key, "bytes follow its last piece");
      }
    }
    checkWhole(file, key, total, (int) crc.getValue());
  }

  /**
   * Checks a whole file's size and CRC-32C against its list entry, however it was decoded.
   *
   * @throws FrameReader.CorruptFileException if either differs
   */
  public static void checkWhole(StoredFile file, String key, long total, int crc32c)
      throws FrameReader.CorruptFileException {
    if (total != file.size()) {
      throw new FrameReader.CorruptFileException(file, key, "it holds " + total + " bytes, the list says " + file.size());
    }
    String actual = Checksums.hex(crc32c);
    if (!actual.equals(file.checksum())) {
      throw new FrameReader.CorruptFileException(file, key, "its CRC-32C is " + actual + ", the list says "
          + file.checksum());
    }
  }

  /**
   * Writes piece {@code i} of a file stored in pieces, checking its size; the caller combines the
   * pieces' checksums into the file's.
   *
   * @param frame exactly the piece's stored bytes
   * @return the CRC-32C of the piece's bytes
   */
  public int decodePiece(InputStream frame, StoredFile file, int i, String key, WritableByteChannel target)
      throws IOException {
    crc.reset();
    checkPieceSize(file, key, i, decodeFrame(frame, file, key, target));
    return (int) crc.getValue();
  }

  private static void checkPieceSize(StoredFile file, String key, int i, long bytes)
      throws FrameReader.CorruptFileException {
    long expected = file.pieces().fileBytes(i, file.size());
    if (bytes != expected) {
      throw new FrameReader.CorruptFileException(file, key, "its piece " + i + " holds " + bytes + " bytes, not "
          + expected);
    }
  }

  private long decodeFrame(InputStream frame, StoredFile file, String key, WritableByteChannel target)
      throws IOException {
    return Codec.of(file.codec()) == Codec.ZSTD ? unzstd(frame, file, key, target) : copy(frame, target);
  }

  private long copy(InputStream source, WritableByteChannel target) throws IOException {
    long total = 0;
    while (true) {
      out.clear();
      boolean ended = fill(source, out);
      out.flip();
      total += emit(target);
      if (ended) {
        return total;
      }
    }
  }

  /**
   * Reads into the buffer until it is full or the stream ends (returns true then): large decode
   * steps, whatever size of reads the stream itself offers.
   */
  private boolean fill(InputStream source, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      int n = source.read(staging, 0, Math.min(staging.length, buffer.remaining()));
      if (n < 0) {
        return true;
      }
      buffer.put(staging, 0, n);
    }
    return false;
  }

  private long unzstd(InputStream source, StoredFile file, String key, WritableByteChannel target)
      throws IOException {
    long total = 0;
    boolean ended = false;
    boolean finished = false;
    zstd.reset(); // an earlier frame that failed midway leaves the context inside it
    in.clear().flip();
    out.clear();
    try {
      while (!finished) {
        if (!in.hasRemaining() && !ended) {
          in.clear();
          ended = fill(source, in);
          in.flip();
        }
        finished = zstd.decompressDirectByteBufferStream(out, in);
        if (!finished && out.hasRemaining() && !in.hasRemaining() && ended) {
          throw new FrameReader.CorruptFileException(file, key, "its frame ends early");
        }
        if (finished || !out.hasRemaining()) { // only whole buffers, but for the frame's last
          out.flip();
          total += emit(target);
          out.clear();
        }
      }
    } catch (ZstdException e) {
      throw new FrameReader.CorruptFileException(file, key, "its frame does not decode (" + e.getMessage() + ")");
    }
    if (in.hasRemaining() || source.read() >= 0) {
      throw new FrameReader.CorruptFileException(file, key, "bytes follow the end of its frame");
    }
    return total;
  }

  private int emit(WritableByteChannel target) throws IOException {
    int n = out.remaining();
    crc.update(out.duplicate());
    while (out.hasRemaining()) {
      target.write(out);
    }
    return n;
  }

  @Override
  public void close() {
    zstd.close();
  }
}
