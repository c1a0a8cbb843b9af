package io.tidemark.infra.repository;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.activities.repository.Listing;
import io.tidemark.activities.repository.NoSuchObjectException;
import io.tidemark.activities.repository.ObjectExistsException;
import io.tidemark.activities.repository.ObjectWriter;
import io.tidemark.activities.repository.Repository;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every repository must do, run against each implementation. */
abstract class RepositoryContract {

  protected abstract Repository repository();

  /**
   * Whether concurrent create-if-absent commits are decided atomically by the store. Local
   * directories (link(2)) and AWS S3 (conditional writes) are; the S3Mock test server checks and
   * then writes, so racing writers can both succeed there.
   */
  protected boolean atomicConditionalWrites() {
    return true;
  }

  private String root;

  @BeforeEach
  void freshRoot() {
    root = "t-" + UUID.randomUUID() + "/";
  }

  private static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void storesAndReadsBackAnObject() throws IOException {
    repository().put(root + "a/b.json", text("{\"x\":1}"));
    assertArrayEquals(text("{\"x\":1}"), repository().readAllBytes(root + "a/b.json"));
    assertEquals(7, repository().size(root + "a/b.json").orElseThrow());
  }

  @Test
  void aMissingObjectIsReportedAsMissing() throws IOException {
    assertThrows(NoSuchObjectException.class, () -> repository().read(root + "nothing"));
    assertTrue(repository().size(root + "nothing").isEmpty());
    assertFalse(repository().exists(root + "nothing"));
  }

  @Test
  void anUncommittedObjectNeverBecomesVisible() throws IOException {
    try (ObjectWriter w = repository().create(root + "half", -1)) {
      w.write(text("half an object"));
    }
    assertTrue(repository().size(root + "half").isEmpty());
    assertFalse(repository().hasAny(root));
  }

  @Test
  void createIfAbsentNeverOverwrites() throws IOException {
    try (ObjectWriter w = repository().createIfAbsent(root + "once", -1)) {
      w.write(text("first"));
      w.commit();
    }
    ObjectWriter second = repository().createIfAbsent(root + "once", -1);
    second.write(text("second"));
    assertThrows(ObjectExistsException.class, second::commit);
    assertArrayEquals(text("first"), repository().readAllBytes(root + "once"));
  }

  /** A refused large write (a multipart upload, on S3) leaves the stored object as it was. */
  @Test
  void aRefusedLargeCreateIfAbsentKeepsTheStoredObject() throws IOException {
    byte[] first = random(12 * 1024 * 1024 + 5, 3);
    try (ObjectWriter w = repository().createIfAbsent(root + "wal", first.length)) {
      w.write(first, 0, first.length);
      w.commit();
    }
    byte[] again = random(12 * 1024 * 1024 + 5, 4);
    ObjectWriter second = repository().createIfAbsent(root + "wal", again.length);
    second.write(again, 0, again.length);
    assertThrows(ObjectExistsException.class, second::commit);
    second.close();
    assertArrayEquals(first, repository().readAllBytes(root + "wal"));
  }

  @Test
  void ofRacingCreateIfAbsentWritersExactlyOneWins() throws Exception {
    int writers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Boolean>> results = new ArrayList<>();
    for (int i = 0; i < writers; i++) {
      byte[] content = text("writer " + i);
      results.add(pool.submit(() -> {
        ObjectWriter w = repository().createIfAbsent(root + "raced", content.length);
        w.write(content);
        go.await();
        try {
          w.commit();
          return true;
        } catch (ObjectExistsException lost) {
          return false;
        }
      }));
    }
    go.countDown();
    int winners = 0;
    for (Future<Boolean> f : results) {
      winners += f.get() ? 1 : 0;
    }
    pool.shutdown();
    if (atomicConditionalWrites()) {
      assertEquals(1, winners);
    } else {
      assertTrue(winners >= 1, "someone wins");
    }
    String kept = new String(repository().readAllBytes(root + "raced"), StandardCharsets.UTF_8);
    assertTrue(kept.matches("writer [0-7]"), "one writer's content, whole: " + kept);
  }

  @Test
  void readsRangesAndTails() throws IOException {
    byte[] data = random(100_000, 1);
    repository().put(root + "ranged", data);
    try (InputStream in = repository().read(root + "ranged", 1000, 500)) {
      assertArrayEquals(java.util.Arrays.copyOfRange(data, 1000, 1500), in.readAllBytes());
    }
    try (InputStream in = repository().readTail(root + "ranged", 16)) {
      assertArrayEquals(java.util.Arrays.copyOfRange(data, data.length - 16, data.length), in.readAllBytes());
    }
    try (InputStream in = repository().readTail(root + "ranged", 1_000_000)) {
      assertArrayEquals(data, in.readAllBytes());
    }
  }

  @Test
  void writesLargeObjectsInPartsAndReadsAcrossPartBoundaries() throws IOException {
    byte[] data = random(23 * 1024 * 1024 + 17, 2);
    try (ObjectWriter w = repository().create(root + "large", data.length)) {
      for (int off = 0; off < data.length; off += 1_000_003) {
        w.write(data, off, Math.min(1_000_003, data.length - off));
      }
      assertEquals(data.length, w.position());
      w.commit();
    }
    assertEquals(data.length, repository().size(root + "large").orElseThrow());
    assertArrayEquals(data, repository().readAllBytes(root + "large"));
    int boundary = 5 * 1024 * 1024;
    try (InputStream in = repository().read(root + "large", boundary - 10, 20)) {
      assertArrayEquals(java.util.Arrays.copyOfRange(data, boundary - 10, boundary + 10), in.readAllBytes());
    }
  }

  @Test
  void listsOneLevelInKeyOrder() throws IOException {
    repository().put(root + "b", text("2"));
    repository().put(root + "a", text("1"));
    repository().put(root + "d/x", text("3"));
    repository().put(root + "c/y/z", text("4"));
    try (Stream<Listing> l = repository().list(root)) {
      assertEquals(List.of(root + "a", root + "b", root + "c/", root + "d/"),
          l.map(Listing::key).collect(Collectors.toList()));
    }
    try (Stream<Listing> l = repository().list(root, root + "b")) {
      assertEquals(List.of("c", "d"), l.map(Listing::name).collect(Collectors.toList()));
    }
    try (Stream<Listing> l = repository().list(root + "nothing-here/")) {
      assertEquals(0, l.count());
    }
  }

  @Test
  void listsManyKeysAcrossPages() throws IOException {
    for (int i = 0; i < 1100; i++) {
      repository().put(root + "many/" + String.format("%05d", i), text(String.valueOf(i)));
    }
    try (Stream<Listing> l = repository().list(root + "many/", root + "many/00499")) {
      List<String> names = l.map(Listing::name).collect(Collectors.toList());
      assertEquals(600, names.size());
      assertEquals("00500", names.get(0));
      assertEquals("01099", names.get(599));
    }
  }

  @Test
  void deletesAndToleratesDeletingNothing() throws IOException {
    repository().put(root + "gone", text("x"));
    repository().delete(root + "gone");
    repository().delete(root + "never-was");
    assertFalse(repository().exists(root + "gone"));
  }

  @Test
  void deletesInBatchesAndAnEmptiedFolderNoLongerLists() throws IOException {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      keys.add(root + "batch/sub/" + i);
      repository().put(keys.get(i), text(String.valueOf(i)));
    }
    repository().put(root + "batch/stays", text("s"));
    List<String> withMissing = new ArrayList<>(keys);
    withMissing.add(root + "batch/sub/never-was");
    repository().delete(withMissing);
    for (String k : keys) {
      assertFalse(repository().exists(k), k);
    }
    assertTrue(repository().exists(root + "batch/stays"));
    try (Stream<Listing> l = repository().list(root + "batch/")) {
      assertEquals(List.of(root + "batch/stays"), l.map(Listing::key).collect(Collectors.toList()),
          "a folder exists only through its objects");
    }
    repository().delete(root + "batch/stays");
    assertFalse(repository().hasAny(root), "nothing of the test is left, not even its folder");
    repository().put(root + "batch/again", text("a"));
    assertTrue(repository().exists(root + "batch/again"), "a pruned folder is made again by the next write");
  }
}
