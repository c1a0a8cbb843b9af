package io.tidemark.activities.restore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TargetFileTest {

  @TempDir
  Path tmp;

  /** A direct, page-aligned buffer holding {@code bytes[from, from + n)}. */
  static ByteBuffer aligned(byte[] bytes, int from, int n) {
    ByteBuffer b = ByteBuffer.allocateDirect(n + 2 * TargetFile.ALIGN).alignedSlice(TargetFile.ALIGN).limit(n).slice();
    b.put(bytes, from, n).flip();
    return b;
  }

  static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  @Test
  void largeFileGoesDirectAndItsTailThroughTheCache() throws Exception {
    byte[] want = random(3 * (1 << 20) + 1234); // whole MiBs, then a partial block
    Path path = tmp.resolve("base/5/16384");
    try (TargetFile file = TargetFile.create(path, want.length)) {
      assertTrue(file.isDirect(), "a 3 MiB file on " + Files.getFileStore(tmp).type() + " is written with O_DIRECT");
      WritableByteChannel ch = file.from(0);
      for (int at = 0; at < want.length; at += 1 << 20) {
        ch.write(aligned(want, at, Math.min(1 << 20, want.length - at)));
      }
      file.force(true);
    }
    assertArrayEquals(want, Files.readAllBytes(path));
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
  }

  @Test
  void unalignedWritesAnywhereStillLandRight() throws Exception {
    byte[] want = random(2 * (1 << 20) + 5000);
    Path path = tmp.resolve("f");
    try (TargetFile file = TargetFile.create(path, want.length)) {
      // a heap buffer, an odd length, an aligned piece written last at its own offset
      file.write(ByteBuffer.wrap(want, 0, 777), 0);
      file.write(ByteBuffer.wrap(want, 777, (1 << 20) - 777), 777);
      file.write(aligned(want, 2 << 20, 5000), 2 << 20);
      file.write(aligned(want, 1 << 20, 1 << 20), 1 << 20);
      file.force(true);
    }
    assertArrayEquals(want, Files.readAllBytes(path));
  }

  @Test
  void anExistingFileIsEmptiedFirst() throws Exception {
    Path path = tmp.resolve("old");
    Files.write(path, random(5 << 20));
    byte[] want = random(1 << 20);
    try (TargetFile file = TargetFile.create(path, want.length)) {
      file.from(0).write(aligned(want, 0, want.length));
      file.force(true);
    }
    assertArrayEquals(want, Files.readAllBytes(path));
  }

  @Test
  void smallFilesUseThePageCacheAndTmpfsWorksEitherWay() throws Exception {
    try (TargetFile small = TargetFile.create(tmp.resolve("small"), 8192)) {
      assertFalse(small.isDirect());
    }
    Path shm = Path.of("/dev/shm");
    assumeTrue(Files.isDirectory(shm) && "tmpfs".equals(Files.getFileStore(shm).type()));
    Path dir = Files.createTempDirectory(shm, "tidemark-target");
    try {
      byte[] want = random((2 << 20) + 3);
      Path path = dir.resolve("big");
      try (TargetFile file = TargetFile.create(path, want.length)) {
        // tmpfs refused O_DIRECT before Linux 6.6 and takes it since: the bytes are right either way
        file.from(0).write(aligned(want, 0, want.length));
        file.force(true);
      }
      assertArrayEquals(want, Files.readAllBytes(path));
    } finally {
      DataDirectories.deleteContents(dir);
      Files.delete(dir);
    }
  }
}
