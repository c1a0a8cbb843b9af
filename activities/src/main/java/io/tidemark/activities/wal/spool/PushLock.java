package io.tidemark.activities.wal.spool;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps two processes of one node from storing the same WAL file at the same moment: the
 * archiver's wal-push and the node agent, which pushes the segments a backup waits for as soon as
 * PostgreSQL marks them ready. Each store of a file holds its lock; whoever comes second finds the
 * object stored and compares it, as any repeated push does. Without it the two conditional writes
 * of one key raced, and an S3-compatible server lost the object (seen with S3Mock in CI).
 *
 * <p>One lock file per pg_wal ({@code pg_wal/tidemark-spool/push.lock}), a POSIX record lock on
 * one byte per file name (its hash: two names sharing a byte only wait for each other). The lock
 * is the kernel's, so it goes with a killed process. Only wal-push creates the file, as the user
 * PostgreSQL runs as; the agent takes the lock only where the file is there and writable, and
 * otherwise leaves the pushing to the archiver.
 */
public final class PushLock {

  static final String FILE = "push.lock";

  /** One channel per lock file in this JVM: closing any channel of a file drops all of the JVM's locks on it. */
  private static final Map<Path, FileChannel> CHANNELS = new ConcurrentHashMap<>();
  /** Threads of this JVM wait here first: the JVM refuses two overlapping locks of its own. */
  private static final Semaphore[] STRIPES = new Semaphore[64];

  static {
    for (int i = 0; i < STRIPES.length; i++) {
      STRIPES[i] = new Semaphore(1);
    }
  }

  /** A held lock; closing releases it. */
  public interface Held extends AutoCloseable {
    @Override
    void close() throws IOException;
  }

  private final Path file;

  private PushLock(Path file) {
    this.file = file;
  }

  /** The lock of the pg_wal directory {@code pgWal}. */
  public static PushLock of(Path pgWal) {
    return new PushLock(pgWal.toAbsolutePath().normalize().resolve(WalSpool.DEFAULT_DIRECTORY).resolve(FILE));
  }

  /** Takes the lock of {@code walName}, creating the lock file if needed (wal-push). */
  public Held lock(String walName) throws IOException {
    return lock(walName, true);
  }

  /**
   * Takes the lock of {@code walName} only if the lock file exists and can be written (the agent).
   *
   * @return null if it cannot be taken
   */
  public Held lockIfShared(String walName) {
    try {
      return lock(walName, false);
    } catch (IOException notOurs) {
      return null;
    }
  }

  private Held lock(String walName, boolean create) throws IOException {
    if (Thread.currentThread().isInterrupted()) {
      // an interrupted thread would close the shared channel, dropping every lock this JVM holds on the file
      throw new InterruptedIOException("interrupted before taking the push lock of " + walName);
    }
    long position = walName.hashCode() & 0x7fffffffL;
    Semaphore stripe = STRIPES[(int) (position % STRIPES.length)];
    stripe.acquireUninterruptibly();
    try {
      FileLock lock = channel(create).lock(position, 1, false);
      AtomicBoolean open = new AtomicBoolean(true);
      return () -> {
        if (open.getAndSet(false)) {
          try {
            lock.release();
          } finally {
            stripe.release();
          }
        }
      };
    } catch (IOException | RuntimeException e) {
      stripe.release();
      throw e;
    }
  }

  private FileChannel channel(boolean create) throws IOException {
    FileChannel ch = CHANNELS.get(file);
    if (ch != null && ch.isOpen()) {
      return ch;
    }
    synchronized (CHANNELS) {
      ch = CHANNELS.get(file);
      if (ch == null || !ch.isOpen()) {
        if (create) {
          Files.createDirectories(file.getParent());
          ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } else if (Files.exists(file)) {
          ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } else {
          throw new NoSuchFileException(file.toString(), null, "no wal-push has made the lock file yet");
        }
        CHANNELS.put(file, ch);
      }
      return ch;
    }
  }
}
