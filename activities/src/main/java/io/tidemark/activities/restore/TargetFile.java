package io.tidemark.activities.restore;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * A file a restore writes. A large one is written with O_DIRECT: a restore writes each byte once
 * and nothing reads it back before PostgreSQL starts, so the page cache only costs. Measured on
 * this project's machine, writing 4 GB through the page cache took 11.3 s (8.8 s of it kernel CPU)
 * the first time after the VM had handed its free memory back to the host, and 2.8–3.6 s after;
 * with O_DIRECT 2.6 s and 0.7 s of kernel CPU, every time — and the fsync that makes the file
 * durable has nothing left to flush.
 *
 * <p>Direct writes must be aligned: buffer address, file position and length. Writes that are
 * (whole buffers from {@link io.tidemark.activities.transfer.FrameDecoder}) go straight to the disk;
 * any other — a file's last partial block — goes through a second, ordinary descriptor of the same
 * file. The two never touch the same block. Filesystems that refuse O_DIRECT (tmpfs) get the
 * ordinary descriptor for everything.
 */
final class TargetFile implements AutoCloseable {

  /** Files this large are written with O_DIRECT (as the backup reads them). */
  static final long DIRECT_MIN_BYTES = 1L << 20;
  /** Alignment of direct writes: a page, a multiple of any block size a Linux filesystem uses. */
  static final int ALIGN = 4096;

  private final Path path;
  private final FileChannel direct;
  private FileChannel buffered;

  private TargetFile(Path path, FileChannel direct, FileChannel buffered) {
    this.path = path;
    this.direct = direct;
    this.buffered = buffered;
  }

  /** Creates the file (emptied if it exists), its directories too, to hold {@code size} bytes. */
  static TargetFile create(Path path, long size) throws IOException {
    DataDirectories.createDirectories(path.getParent());
    if (size >= DIRECT_MIN_BYTES) {
      FileChannel direct = null;
      try {
        direct = FileChannel.open(path, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING, ExtendedOpenOption.DIRECT), DataDirectories.FILE_MODE);
      } catch (IOException | UnsupportedOperationException refused) {
        // not on this filesystem: the page cache it is (O_CREAT may already have made the file)
      }
      if (direct != null) {
        return new TargetFile(path, direct, null);
      }
    }
    return new TargetFile(path, null, FileChannel.open(path, Set.of(StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING), DataDirectories.FILE_MODE));
  }

  /** Whether writes reach the disk as they are made (so an early writeback has nothing to do). */
  boolean isDirect() {
    return direct != null;
  }

  /** Writes all of {@code src} at {@code position}. */
  void write(ByteBuffer src, long position) throws IOException {
    FileChannel ch = canGoDirect(src, position) ? direct : buffered();
    while (src.hasRemaining()) {
      position += ch.write(src, position);
    }
  }

  private boolean canGoDirect(ByteBuffer src, long position) {
    return direct != null && src.isDirect() && position % ALIGN == 0 && src.remaining() % ALIGN == 0
        && src.alignmentOffset(src.position(), ALIGN) == 0;
  }

  /** Opened on the first unaligned write; pieces of one file are written from several threads. */
  private synchronized FileChannel buffered() throws IOException {
    if (buffered == null) {
      buffered = FileChannel.open(path, StandardOpenOption.WRITE);
    }
    return buffered;
  }

  /** The file from {@code position} on, as a channel of sequential writes. */
  WritableByteChannel from(long position) {
    return from(position, n -> {});
  }

  /** As {@link #from(long)}, telling {@code written} of each write's bytes once they are in the file. */
  WritableByteChannel from(long position, IntConsumer written) {
    return new WritableByteChannel() {
      private long next = position;

      @Override
      public int write(ByteBuffer src) throws IOException {
        int n = src.remaining();
        TargetFile.this.write(src, next);
        next += n;
        written.accept(n);
        return n;
      }

      @Override
      public boolean isOpen() {
        return true;
      }

      @Override
      public void close() {}
    };
  }

  /** Makes what was written durable (fsync is the file's, whichever descriptor asks). */
  void force(boolean metadata) throws IOException {
    (direct != null ? direct : buffered()).force(metadata);
  }

  @Override
  public void close() throws IOException {
    try (FileChannel d = direct; FileChannel b = buffered) {
      // both closed, the first failure reported
    }
  }
}
