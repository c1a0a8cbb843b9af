package io.tidemark.activities.repository;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * A new object being written. It becomes visible on {@link #commit()}; closing without commit
 * throws the bytes away, so a failed writer never leaves a half object behind.
 */
public abstract class ObjectWriter extends OutputStream {

  private long written;
  private boolean finished;

  /** Bytes written so far: the offset the next byte will have in the object. */
  public final long position() {
    return written;
  }

  @Override
  public final void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public final void write(byte[] b, int off, int len) throws IOException {
    ensureOpen();
    append(b, off, len);
    written += len;
  }

  /** Writes the buffer's remaining bytes and advances its position. */
  public final void write(ByteBuffer buffer) throws IOException {
    ensureOpen();
    int n = buffer.remaining();
    append(buffer);
    written += n;
  }

  public final void commit() throws IOException {
    ensureOpen();
    finished = true;
    doCommit();
  }

  public final void abort() {
    if (!finished) {
      finished = true;
      doAbort();
    }
  }

  @Override
  public final void close() {
    abort();
  }

  private void ensureOpen() throws IOException {
    if (finished) {
      throw new IOException("object writer already committed or aborted");
    }
  }

  protected abstract void append(byte[] b, int off, int len) throws IOException;

  protected void append(ByteBuffer buffer) throws IOException {
    if (buffer.hasArray()) {
      append(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
      buffer.position(buffer.limit());
    } else {
      byte[] chunk = new byte[Math.min(buffer.remaining(), 64 * 1024)];
      while (buffer.hasRemaining()) {
        int n = Math.min(chunk.length, buffer.remaining());
        buffer.get(chunk, 0, n);
        append(chunk, 0, n);
      }
    }
  }

  protected abstract void doCommit() throws IOException;

  protected abstract void doAbort();
}
