package io.tidemark.activities.wal;

import io.tidemark.activities.repository.Listing;
import io.tidemark.activities.repository.ObjectWriter;
import io.tidemark.activities.repository.Repository;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/** A real repository that records every object read and refuses writes of chosen keys. */
final class CountingRepository implements Repository {

  final Repository inner;
  final List<String> reads = new CopyOnWriteArrayList<>();
  final Set<String> failWrites = Collections.synchronizedSet(new HashSet<>());

  CountingRepository(Repository inner) {
    this.inner = inner;
  }

  @Override
  public ObjectWriter create(String key, long sizeHint) throws IOException {
    refuse(key);
    return inner.create(key, sizeHint);
  }

  @Override
  public ObjectWriter createIfAbsent(String key, long sizeHint) throws IOException {
    refuse(key);
    return inner.createIfAbsent(key, sizeHint);
  }

  private void refuse(String key) throws IOException {
    if (failWrites.stream().anyMatch(key::contains)) {
      throw new IOException("simulated failure writing " + key);
    }
  }

  @Override
  public InputStream read(String key) throws IOException {
    reads.add(key);
    return inner.read(key);
  }

  @Override
  public InputStream read(String key, long offset, long length) throws IOException {
    reads.add(key);
    return inner.read(key, offset, length);
  }

  @Override
  public InputStream readTail(String key, long length) throws IOException {
    reads.add(key);
    return inner.readTail(key, length);
  }

  @Override
  public OptionalLong size(String key) throws IOException {
    return inner.size(key);
  }

  @Override
  public Stream<Listing> list(String prefix, String startAfter) throws IOException {
    return inner.list(prefix, startAfter);
  }

  @Override
  public void delete(String key) throws IOException {
    inner.delete(key);
  }

  @Override
  public String describe() {
    return inner.describe();
  }

  long readsOf(String walName) {
    return reads.stream().filter(k -> k.endsWith("/" + walName + ".zst")).count();
  }

  @Override
  public void close() throws IOException {
    inner.close();
  }
}
