package io.tidemark.activities.transfer;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import io.tidemark.activities.Json;
import io.tidemark.activities.repository.Repository;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Consumer;

/**
 * Lists stored as zstd-compressed JSON lines: streamed in and out one entry at a time, so a list of
 * millions of files never sits in memory.
 */
public final class Ndjson {

  private Ndjson() {}

  /** A list being written to one repository object. */
  public static final class Writer<T> implements AutoCloseable {
    private final io.tidemark.activities.repository.ObjectWriter target;
    private final OutputStream out;
    private final ObjectWriter json;
    private long count;
    private boolean committed;

    private Writer(io.tidemark.activities.repository.ObjectWriter target, Class<T> type) throws IOException {
      this.target = target;
      // zstd's close must not close (and so abort) the object: commit decides.
      this.out = new BufferedOutputStream(new ZstdOutputStreamNoFinalizer(new Unclosable(target), 3), 1 << 16);
      this.json = Json.MAPPER.writerFor(type);
    }

    public void add(T entry) throws IOException {
      out.write(json.writeValueAsBytes(entry));
      out.write('\n');
      count++;
    }

    public long count() {
      return count;
    }

    public void commit() throws IOException {
      out.close();
      target.commit();
      committed = true;
    }

    /** Without commit: throws the list away (and frees the compressor). */
    @Override
    public void close() {
      if (!committed) {
        try {
          out.close();
        } catch (IOException ignored) {
          // the object is aborted below either way
        }
        target.abort();
      }
    }
  }

  public static <T> Writer<T> create(Repository repo, String key, Class<T> type) throws IOException {
    return new Writer<>(repo.create(key, -1), type);
  }

  /** Reads a list lazily; close the iterator (it holds the object's stream). */
  public static <T> CloseableIterator<T> read(Repository repo, String key, Class<T> type) throws IOException {
    return read(repo.read(key), type);
  }

  public static <T> CloseableIterator<T> read(InputStream compressed, Class<T> type) throws IOException {
    InputStream in = new BufferedInputStream(new ZstdInputStreamNoFinalizer(compressed), 1 << 16);
    MappingIterator<T> it = Json.MAPPER.readerFor(type).readValues(in);
    return new CloseableIterator<>(it, in);
  }

  /** Reads every entry of a list, in order. */
  public static <T> long forEach(Repository repo, String key, Class<T> type, Consumer<T> action) throws IOException {
    long n = 0;
    try (CloseableIterator<T> it = read(repo, key, type)) {
      while (it.hasNext()) {
        action.accept(it.next());
        n++;
      }
    }
    return n;
  }

  /** Passes writes through and keeps the stream beneath open when closed. */
  static final class Unclosable extends FilterOutputStream {
    Unclosable(OutputStream target) {
      super(target);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }

  /** An iterator over a stream that must be closed. */
  public static final class CloseableIterator<T> implements Iterator<T>, AutoCloseable {
    private final MappingIterator<T> it;
    private final InputStream in;

    CloseableIterator(MappingIterator<T> it, InputStream in) {
      this.it = it;
      this.in = in;
    }

    @Override
    public boolean hasNext() {
      try {
        return it.hasNextValue();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public T next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      try {
        return it.nextValue();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void close() throws IOException {
      it.close();
      in.close();
    }
  }
}
