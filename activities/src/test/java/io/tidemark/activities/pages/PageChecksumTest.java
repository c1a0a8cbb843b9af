package io.tidemark.activities.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against pages written by PostgreSQL 15's initdb with data checksums on (blocks 0 and 3 of
 * pg_class), so the algorithm is checked against PostgreSQL itself.
 */
class PageChecksumTest {

  @TempDir
  Path tmp;

  static ByteBuffer page(String name) throws Exception {
    try (InputStream in = PageChecksumTest.class.getResourceAsStream("/pages/" + name)) {
      return ByteBuffer.wrap(in.readAllBytes());
    }
  }

  @Test
  void agreesWithPostgresOnRealPages() throws Exception {
    ByteBuffer block3 = page("pg_class-block3.bin");
    assertEquals(0x60e0, PageChecksum.stored(block3));
    assertEquals(0x60e0, PageChecksum.compute(block3, 3));
    ByteBuffer block0 = page("pg_class-block0.bin");
    assertEquals(PageChecksum.stored(block0), PageChecksum.compute(block0, 0));
    assertEquals(0x01589F50L, PageChecksum.lsn(block3));
    assertFalse(PageChecksum.isNew(block3));
  }

  @Test
  void theVectorAndThePlainLoopAgreeOnEveryPage() throws Exception {
    // The tests run with --add-modules jdk.incubator.vector, as the worker does.
    assertEquals("VectorLanes", Lanes.fastest().getClass().getSimpleName());
    PageChecksum.Calculator vector = new PageChecksum.Calculator(Lanes.fastest());
    PageChecksum.Calculator plain = new PageChecksum.Calculator(Lanes.SCALAR);
    ByteBuffer block3 = page("pg_class-block3.bin");
    assertEquals(0x60e0, vector.compute(block3, 3));
    assertEquals(0x60e0, plain.compute(block3, 3));
    java.util.Random random = new java.util.Random(42);
    ByteBuffer page = ByteBuffer.allocateDirect(PageChecksum.PAGE_SIZE);
    byte[] bytes = new byte[PageChecksum.PAGE_SIZE];
    for (int i = 0; i < 2000; i++) {
      random.nextBytes(bytes);
      page.clear().put(bytes).flip();
      long block = random.nextInt(1 << 20);
      assertEquals(plain.compute(page, block), vector.compute(page, block), "page " + i);
    }
  }

  @Test
  void anyChangedByteOrAnotherBlockNumberGivesAnotherChecksum() throws Exception {
    ByteBuffer block3 = page("pg_class-block3.bin");
    assertNotEquals(PageChecksum.stored(block3), PageChecksum.compute(block3, 4));
    for (int offset : new int[] {0, 20, 4000, 8191}) {
      ByteBuffer changed = page("pg_class-block3.bin");
      changed.put(offset, (byte) (changed.get(offset) ^ 0x10));
      assertNotEquals(0x60e0, PageChecksum.compute(changed, 3), "byte " + offset);
    }
  }

  @Test
  void theVerifierFlagsOnlyOldDamagedPagesAndNamesTheirBlocks() throws Exception {
    ByteBuffer good = page("pg_class-block3.bin");
    ByteBuffer bad = page("pg_class-block3.bin");
    bad.put(5000, (byte) (bad.get(5000) ^ 0x01));
    // A second segment file of the relation: its pages are blocks 131072 onwards.
    Path file = tmp.resolve("16384.1");
    Files.write(file, concat(good, bad, ByteBuffer.allocate(8192)));
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(file));
      PageVerifier afterTheDamage = PageVerifier.forFile("base/5/16384.1", ch, 0x02000000L);
      assertNotNull(afterTheDamage);
      afterTheDamage.inspect(all, 0);
      // Computed for block 131072 + i, the real page (written as block 3) fails too: block numbers count.
      assertEquals(List.of(131_072L, 131_073L), afterTheDamage.badBlocks());
      PageVerifier beforeThePagesWereWritten = PageVerifier.forFile("base/5/16384.1", ch, 0x01000000L);
      beforeThePagesWereWritten.inspect(all, 0);
      assertEquals(0, beforeThePagesWereWritten.badCount(), "pages changed after the backup start are left to WAL replay");
    }
    assertNull(PageVerifier.forFile("global/pg_control", null, 0));
    assertNull(PageVerifier.forFile("pg_xact/0000", null, 0));
    assertTrue(PageVerifier.forFile("pg_tblspc/16390/PG_15_202209061/16384/16500_fsm", null, 0) != null);
  }

  private static byte[] concat(ByteBuffer... pages) {
    ByteBuffer all = ByteBuffer.allocate(pages.length * 8192);
    for (ByteBuffer p : pages) {
      all.put(p.duplicate());
    }
    return all.array();
  }
}
