package io.tidemark.activities.backup;

import com.github.luben.zstd.Zstd;
import io.tidemark.activities.files.ListedFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What copying a large file will cost, for SendFileList to start the dearest first (LPT). Size
 * alone misleads: zstd -1 took a pgbench btree index (6.9×) three times as long per byte as its
 * heap (40×), so a 674 MB index cost more than a 1 GiB heap segment and, queued by size behind four
 * of them, ran alone at the end of the backup. zstd's time per byte grows with what it keeps, so
 * the cost is the size times (the stored share of a few sampled blocks + a constant share for
 * reading and checksumming).
 */
interface CopyCost {

  /** A relative cost: only comparisons between files of one backup matter. */
  double of(ListedFile file);

  /** By size only: for listings without files to sample (scale tests), or with compression off. */
  CopyCost BY_SIZE = file -> file.size();

  /** Samples this many evenly spread blocks of every file it is asked about. */
  static CopyCost sampled(Path dataDirectory, int zstdLevel) {
    return zstdLevel <= 0 ? BY_SIZE : new Sampled(dataDirectory, zstdLevel);
  }

  /** Reads a few blocks of the file and compresses them at the backup's level. */
  final class Sampled implements CopyCost {
    static final int SAMPLES = 4;
    static final int BLOCK = 128 * 1024;
    /** Reading, CRC-32C and page checksums cost about a tenth of compressing a byte zstd keeps. */
    static final double FIXED_SHARE = 0.1;

    private final Path dataDirectory;
    private final int zstdLevel;
    private final ByteBuffer block = ByteBuffer.allocateDirect(BLOCK);
    private final ByteBuffer compressed = ByteBuffer.allocateDirect((int) Zstd.compressBound(BLOCK));

    Sampled(Path dataDirectory, int zstdLevel) {
      this.dataDirectory = dataDirectory;
      this.zstdLevel = zstdLevel;
    }

    @Override
    public double of(ListedFile file) {
      long read = 0;
      long kept = 0;
      try (FileChannel ch = FileChannel.open(dataDirectory.resolve(file.path()), StandardOpenOption.READ)) {
        for (int i = 0; i < SAMPLES; i++) {
          long at = Math.max(0, file.size() - BLOCK) * i / Math.max(1, SAMPLES - 1);
          block.clear();
          int n = ch.read(block, at);
          if (n <= 0) {
            continue;
          }
          block.flip();
          compressed.clear();
          kept += Zstd.compress(compressed, block, zstdLevel);
          read += n;
        }
      } catch (IOException | RuntimeException unreadable) {
        // gone or unreadable now: SendFiles will say so; here it is only ordered by size
      }
      double storedShare = read == 0 ? 1.0 : Math.min(1.0, (double) kept / read);
      return file.size() * (storedShare + FIXED_SHARE);
    }
  }
}
