package io.tidemark.activities.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tidemark.activities.repository.LocalRepository;
import io.tidemark.activities.repository.ObjectWriter;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Large files are stored in pieces, each its own frame, that decode back to the whole file. */
class FrameCompressorPiecesTest {

  static final int MIB = 1 << 20;

  @TempDir
  Path tmp;

  private StoredFile store(byte[] data, long listedSize, int level) throws Exception {
    LocalRepository repo = new LocalRepository(tmp.resolve("repo-" + level));
    Path source = tmp.resolve("file");
    Files.write(source, data);
    try (FrameCompressor compressor = new FrameCompressor(level, MIB);
        FileChannel in = FileChannel.open(source);
        ObjectWriter out = repo.create("pack", listedSize)) {
      out.write(new byte[17]); // the frame starts inside the pack, as in a shared one
      FrameCompressor.Frame frame = compressor.compress(in, listedSize, out, (chunk, at) -> {}, false);
      out.commit();
      StoredFile file = new StoredFile("base/1/f", frame.bytes(), 1, frame.checksum(), "pack", 17,
          out.position() - 17, compressor.codec().label(), null, null, frame.pieces());
      assertArrayEquals(Arrays.copyOf(data, (int) Math.min(data.length, listedSize)), FrameReader.read(repo, "", file));
      return file;
    }
  }

  private static byte[] data(int size) {
    byte[] b = new byte[size];
    new Random(size).nextBytes(b);
    for (int k = 0; k < size; k += 3) {
      b[k] = 0;
    }
    return b;
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1})
  void aFileOfSeveralPiecesIsStoredAsThatManyFrames(int level) throws Exception {
    StoredFile f = store(data(3 * MIB + 5), 3 * MIB + 5, level);
    assertEquals(4, f.pieces().count());
    assertEquals(MIB, f.pieces().size());
    assertEquals(f.length(), f.pieces().lengths().stream().mapToLong(Long::longValue).sum());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1})
  void aFileEndingOnAPieceBoundaryHasNoEmptyPiece(int level) throws Exception {
    assertEquals(3, store(data(3 * MIB), 3 * MIB, level).pieces().count());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1})
  void aFileOfOnePieceIsOneFrame(int level) throws Exception {
    assertNull(store(data(MIB), MIB, level).pieces());
    assertNull(store(data(1000), 1000, level).pieces());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1})
  void aFileThatShrankAfterItWasListedDecodesToWhatWasRead(int level) throws Exception {
    StoredFile f = store(data(2 * MIB), 5 * MIB, level);
    assertEquals(2 * MIB, f.size());
    store(data(2 * MIB + 10), 5 * MIB, level);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1})
  void aFileThatGrewAfterItWasListedIsCutAtItsListedSize(int level) throws Exception {
    StoredFile f = store(data(4 * MIB), 2 * MIB + 1, level);
    assertEquals(2 * MIB + 1, f.size());
    assertEquals(3, f.pieces().count());
  }

  /** A file whose reads come back short now and then, as when it is truncated and extended meanwhile. */
  private static final class ShortReads extends FileChannel {
    private final FileChannel file;
    private int calls;

    ShortReads(FileChannel file) {
      this.file = file;
    }

    @Override
    public int read(java.nio.ByteBuffer dst, long position) throws java.io.IOException {
      if (++calls % 3 == 0 && dst.remaining() > 3 * 4096) {
        java.nio.ByteBuffer shorter = dst.slice(dst.position(), dst.remaining() - 3 * 4096);
        int n = file.read(shorter, position);
        dst.position(dst.position() + Math.max(n, 0));
        return n;
      }
      return file.read(dst, position);
    }

    @Override public int read(java.nio.ByteBuffer dst) { throw new UnsupportedOperationException(); }
    @Override public long read(java.nio.ByteBuffer[] dsts, int offset, int length) { throw new UnsupportedOperationException(); }
    @Override public int write(java.nio.ByteBuffer src) { throw new UnsupportedOperationException(); }
    @Override public long write(java.nio.ByteBuffer[] srcs, int offset, int length) { throw new UnsupportedOperationException(); }
    @Override public long position() throws java.io.IOException { return file.position(); }
    @Override public FileChannel position(long p) { throw new UnsupportedOperationException(); }
    @Override public long size() throws java.io.IOException { return file.size(); }
    @Override public FileChannel truncate(long size) { throw new UnsupportedOperationException(); }
    @Override public void force(boolean metaData) { }
    @Override public long transferTo(long p, long c, java.nio.channels.WritableByteChannel t) { throw new UnsupportedOperationException(); }
    @Override public long transferFrom(java.nio.channels.ReadableByteChannel s, long p, long c) { throw new UnsupportedOperationException(); }
    @Override public int write(java.nio.ByteBuffer src, long position) { throw new UnsupportedOperationException(); }
    @Override public java.nio.MappedByteBuffer map(MapMode m, long p, long s) { throw new UnsupportedOperationException(); }
    @Override public java.nio.channels.FileLock lock(long p, long s, boolean sh) { throw new UnsupportedOperationException(); }
    @Override public java.nio.channels.FileLock tryLock(long p, long s, boolean sh) { throw new UnsupportedOperationException(); }
    @Override protected void implCloseChannel() throws java.io.IOException { file.close(); }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1})
  void shortReadsStillEndEveryPieceExactlyAtItsSize(int level) throws Exception {
    byte[] data = data(3 * MIB + 12288);
    LocalRepository repo = new LocalRepository(tmp.resolve("short-" + level));
    Path source = tmp.resolve("short-file");
    Files.write(source, data);
    try (FrameCompressor compressor = new FrameCompressor(level, MIB);
        FileChannel in = new ShortReads(FileChannel.open(source));
        ObjectWriter out = repo.create("pack", data.length)) {
      FrameCompressor.Frame frame = compressor.compress(in, data.length, out, (chunk, at) -> {}, false);
      out.commit();
      StoredFile file = new StoredFile("base/1/f", frame.bytes(), 1, frame.checksum(), "pack", 0, out.position(),
          compressor.codec().label(), null, null, frame.pieces());
      assertEquals(4, file.pieces().count());
      assertArrayEquals(data, FrameReader.read(repo, "", file), "every piece holds exactly its share");
    }
  }
}
