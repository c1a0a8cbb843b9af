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
}
