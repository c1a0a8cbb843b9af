package io.tidemark.activities.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.activities.files.ListedFile;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How SendFileList weighs large files against each other. */
class CopyCostTest {

  @TempDir
  Path data;

  @Test
  void aFileThatCompressesPoorlyCostsMoreThanALargerOneThatCompressesWell() throws IOException {
    ListedFile zeros = sparse("base/5/1", 64 << 20);
    ListedFile random = random("base/5/2", 8 << 20);
    CopyCost cost = CopyCost.sampled(data, 1);
    assertTrue(cost.of(random) > cost.of(zeros),
        "8 MiB of random bytes (" + cost.of(random) + ") against 64 MiB of zeros (" + cost.of(zeros) + ")");
    // Random bytes keep all they have: the cost is the size plus the fixed share.
    assertEquals((8 << 20) * (1 + CopyCost.Sampled.FIXED_SHARE), cost.of(random), (8 << 20) * 0.01);
  }

  @Test
  void aFileGoneSinceItWasListedOrNoCompressionIsWeighedBySize() throws IOException {
    ListedFile gone = new ListedFile("base/5/404", 32 << 20, 1L);
    assertEquals((32 << 20) * (1 + CopyCost.Sampled.FIXED_SHARE), CopyCost.sampled(data, 1).of(gone), 1.0);
    ListedFile zeros = sparse("base/5/1", 64 << 20);
    assertEquals(64 << 20, CopyCost.sampled(data, 0).of(zeros), 0.0);
  }

  private ListedFile sparse(String path, long size) throws IOException {
    Path file = data.resolve(path);
    Files.createDirectories(file.getParent());
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(size);
    }
    return new ListedFile(path, size, 1L);
  }

  private ListedFile random(String path, int size) throws IOException {
    Path file = data.resolve(path);
    Files.createDirectories(file.getParent());
    byte[] bytes = new byte[size];
    new Random(7).nextBytes(bytes);
    Files.write(file, bytes);
    return new ListedFile(path, size, 1L);
  }
}
