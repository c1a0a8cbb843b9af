package io.tidemark.activities.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class ChecksumsTest {

  private static int crc(byte[] b, int off, int len) {
    CRC32C c = new CRC32C();
    c.update(b, off, len);
    return (int) c.getValue();
  }

  @Test
  void combiningTheCrcsOfTwoPartsGivesTheCrcOfTheWhole() {
    Random random = new Random(42);
    byte[] data = new byte[1 << 20];
    random.nextBytes(data);
    int[] splits = {0, 1, 7, 8, 4096, 65_537, 524_288, data.length - 1, data.length};
    for (int split : splits) {
      int a = crc(data, 0, split);
      int b = crc(data, split, data.length - split);
      assertEquals(crc(data, 0, data.length), Checksums.combine(a, b, data.length - split), "split at " + split);
    }
  }

  @Test
  void combiningManyPiecesInOrderGivesTheCrcOfTheWhole() {
    Random random = new Random(7);
    byte[] data = new byte[3_000_001];
    random.nextBytes(data);
    int piece = 262_144;
    int whole = 0;
    for (int off = 0; off < data.length; off += piece) {
      int len = Math.min(piece, data.length - off);
      whole = off == 0 ? crc(data, 0, len) : Checksums.combine(whole, crc(data, off, len), len);
    }
    assertEquals(crc(data, 0, data.length), whole);
  }

  @Test
  void aKnownValueIsWrittenAsEightHexDigits() {
    // CRC-32C of "123456789" is the catalogued check value e3069283.
    assertEquals("e3069283", Checksums.crc32c("123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    assertEquals("0000abcd", Checksums.hex(0xabcd));
  }
}
