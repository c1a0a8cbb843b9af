package io.tidemark.activities.restore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.failure.ApplicationFailure;
import io.tidemark.activities.repository.LocalRepository;
import io.tidemark.activities.repository.RepositoryLayout;
import io.tidemark.activities.runtime.Heartbeat;
import io.tidemark.activities.repository.ObjectWriter;
import io.tidemark.activities.transfer.Codec;
import io.tidemark.activities.transfer.FrameCompressor;
import io.tidemark.activities.transfer.FrameReader;
import io.tidemark.activities.transfer.Ndjson;
import io.tidemark.activities.transfer.StoredFile;
import io.tidemark.workflows.Failures;
import io.tidemark.workflows.activities.NodeRestoreActivities.FetchFilesInput;
import io.tidemark.workflows.activities.NodeRestoreActivities.FetchResult;
import java.io.ByteArrayOutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchFetcherTest {

  static final String NODE = RepositoryLayout.node("main", "20261121-100000F", "pg1");

  @TempDir
  Path tmp;
  LocalRepository repo;
  Path target;
  final List<StoredFile> stored = new ArrayList<>();
  final List<byte[]> contents = new ArrayList<>();

  /** Stores files as uncompressed frames in one pack, and lists them. */
  @BeforeEach
  void setUp() throws Exception {
    repo = new LocalRepository(tmp.resolve("repo"));
    target = tmp.resolve("restore");
    ByteArrayOutputStream pack = new ByteArrayOutputStream();
    Random r = new Random(3);
    for (int i = 0; i < 600; i++) {
      byte[] b = new byte[100 + r.nextInt(2000)];
      r.nextBytes(b);
      CRC32C crc = new CRC32C();
      crc.update(b);
      stored.add(new StoredFile("base/1/" + (1000 + i), b.length, 1_700_000_000_000L + i, String.format("%08x", crc.getValue()),
          "s1/data/pack", pack.size(), b.length, Codec.NONE.label()));
      contents.add(b);
      pack.write(b);
    }
    repo.put(NODE + "s1/data/pack", pack.toByteArray());
    writeList(stored);
  }

  private void writeList(List<StoredFile> files) throws Exception {
    try (Ndjson.Writer<StoredFile> w = Ndjson.create(repo, NODE + RepositoryLayout.storedFiles(1, 0), StoredFile.class)) {
      for (StoredFile f : files) {
        w.add(f);
      }
      w.commit();
    }
  }

  static final class DyingHeartbeat implements Heartbeat {
    final Object previous;
    final int dieAt;
    BatchFetcher.Progress last;

    DyingHeartbeat(Object previous, int dieAt) {
      this.previous = previous;
      this.dieAt = dieAt;
    }

    @Override
    public void beat(Object details) {
      last = (BatchFetcher.Progress) details;
      if (last.nextFile() >= dieAt) {
        throw new IllegalStateException("worker killed");
      }
    }

    @Override
    public <T> Optional<T> previous(Class<T> type) {
      return Optional.ofNullable(type.cast(previous));
    }

    @Override
    public int attempt() {
      return previous == null ? 1 : 2;
    }
  }

  private FetchFilesInput input() {
    return new FetchFilesInput("main", "20261121-100000F", "pg1", 1, 0, target.toString());
  }

  @Test
  void writesEveryFileWithItsContentModeAndTime() throws Exception {
    Files.createDirectories(target);
    FetchResult result = new BatchFetcher(repo).fetch(input(), new DyingHeartbeat(null, Integer.MAX_VALUE));
    assertEquals(600, result.files());
    for (int i = 0; i < stored.size(); i++) {
      Path f = target.resolve(stored.get(i).path());
      assertArrayEquals(contents.get(i), Files.readAllBytes(f));
      assertEquals(stored.get(i).mtime(), Files.getLastModifiedTime(f).toMillis());
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    }
  }

  @Test
  void aRetryStartsAfterTheLastSyncedGroup() throws Exception {
    Files.createDirectories(target);
    DyingHeartbeat first = new DyingHeartbeat(null, BatchFetcher.GROUP_FILES);
    assertThrows(IllegalStateException.class, () -> new BatchFetcher(repo).fetch(input(), first));
    assertEquals(BatchFetcher.GROUP_FILES, first.last.nextFile(), "progress is reported after a synced group");

    FetchResult second = new BatchFetcher(repo).fetch(input(), new DyingHeartbeat(first.last, Integer.MAX_VALUE));
    assertEquals(600 - BatchFetcher.GROUP_FILES, second.files());
    assertEquals(BatchFetcher.GROUP_FILES, second.resumed());
    for (int i = 0; i < stored.size(); i++) {
      assertArrayEquals(contents.get(i), Files.readAllBytes(target.resolve(stored.get(i).path())));
    }
  }

  @Test
  void aDamagedFileStopsTheRestoreForGood() throws Exception {
    Files.createDirectories(target);
    byte[] pack = repo.readAllBytes(NODE + "s1/data/pack");
    pack[(int) stored.get(10).offset()] ^= 1;
    repo.put(NODE + "s1/data/pack", pack);
    ApplicationFailure f = assertThrows(ApplicationFailure.class,
        () -> new BatchFetcher(repo).fetch(input(), new DyingHeartbeat(null, Integer.MAX_VALUE)));
    assertEquals(Failures.CORRUPT_BACKUP, f.getType());
    assertTrue(f.isNonRetryable());
    assertTrue(f.getOriginalMessage().contains("base/1/1010") && f.getOriginalMessage().contains("CRC-32C"));
  }

  /** zstd frames in two packs, in list order a, b, a: three runs, each read once. */
  private List<byte[]> storeZstdFramesInTwoPacks(int perPack) throws Exception {
    List<byte[]> files = new ArrayList<>();
    List<StoredFile> list = new ArrayList<>();
    Random r = new Random(9);
    for (String pack : List.of("s1/data/a", "s1/data/b")) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      for (int i = 0; i < perPack; i++) {
        byte[] b = new byte[8192 * (1 + r.nextInt(40))];
        for (int k = 0; k < b.length; k += 64) {
          b[k] = (byte) r.nextInt(4); // compressible, as relation pages are
        }
        byte[] frame = com.github.luben.zstd.Zstd.compress(b, 1);
        CRC32C crc = new CRC32C();
        crc.update(b);
        list.add(new StoredFile("base/1/" + pack.charAt(pack.length() - 1) + i, b.length, 1_700_000_000_000L,
            String.format("%08x", crc.getValue()), pack, bytes.size(), frame.length, Codec.ZSTD.label()));
        files.add(b);
        bytes.write(frame);
      }
      repo.put(NODE + pack, bytes.toByteArray());
    }
    // a's first half, then b, then a's second half: the list jumps between packs
    List<StoredFile> order = new ArrayList<>(list.subList(0, perPack / 2));
    order.addAll(list.subList(perPack, 2 * perPack));
    order.addAll(list.subList(perPack / 2, perPack));
    List<byte[]> expected = new ArrayList<>(files.subList(0, perPack / 2));
    expected.addAll(files.subList(perPack, 2 * perPack));
    expected.addAll(files.subList(perPack / 2, perPack));
    writeList(order);
    stored.clear();
    stored.addAll(order);
    return expected;
  }

  @Test
  void zstdFramesFromSeveralPacksAreDecodedAndChecked() throws Exception {
    Files.createDirectories(target);
    List<byte[]> expected = storeZstdFramesInTwoPacks(40);
    FetchResult result = new BatchFetcher(repo).fetch(input(), new DyingHeartbeat(null, Integer.MAX_VALUE));
    assertEquals(80, result.files());
    for (int i = 0; i < stored.size(); i++) {
      assertArrayEquals(expected.get(i), Files.readAllBytes(target.resolve(stored.get(i).path())), stored.get(i).path());
    }
  }

  @Test
  void aTruncatedOrGarbledZstdFrameStopsTheRestore() throws Exception {
    Files.createDirectories(target);
    storeZstdFramesInTwoPacks(10);
    StoredFile victim = stored.get(3);
    List<StoredFile> shortened = new ArrayList<>(stored);
    shortened.set(3, new StoredFile(victim.path(), victim.size(), victim.mtime(), victim.checksum(), victim.pack(),
        victim.offset(), victim.length() - 5, victim.codec()));
    writeList(shortened.subList(0, 4));
    ApplicationFailure f = assertThrows(ApplicationFailure.class,
        () -> new BatchFetcher(repo).fetch(input(), new DyingHeartbeat(null, Integer.MAX_VALUE)));
    assertEquals(Failures.CORRUPT_BACKUP, f.getType());
    assertTrue(f.getOriginalMessage().contains(victim.path()), f.getOriginalMessage());

    byte[] pack = repo.readAllBytes(NODE + victim.pack());
    pack[(int) (victim.offset() + victim.length() / 2)] ^= 0x5a;
    repo.put(NODE + victim.pack(), pack);
    writeList(stored);
    f = assertThrows(ApplicationFailure.class,
        () -> new BatchFetcher(repo).fetch(input(), new DyingHeartbeat(null, Integer.MAX_VALUE)));
    assertEquals(Failures.CORRUPT_BACKUP, f.getType());
    assertTrue(f.getOriginalMessage().contains(victim.path()), f.getOriginalMessage());
  }

  @Test
  void aFileLargerThanTheWritebackStepComesOutWhole() throws Exception {
    Files.createDirectories(target);
    byte[] big = new byte[(int) (2 * EarlyWriteback.STEP + 12345)];
    Random r = new Random(5);
    for (int k = 0; k < big.length; k += 512) {
      big[k] = (byte) r.nextInt();
    }
    byte[] frame = com.github.luben.zstd.Zstd.compress(big, 1);
    repo.put(NODE + "s1/data/big", frame);
    CRC32C crc = new CRC32C();
    crc.update(big);
    StoredFile file = new StoredFile("base/1/big", big.length, 1_700_000_000_000L,
        String.format("%08x", crc.getValue()), "s1/data/big", 0, frame.length, Codec.ZSTD.label());
    writeList(List.of(file));
    FetchResult result = new BatchFetcher(repo).fetch(input(), new DyingHeartbeat(null, Integer.MAX_VALUE));
    assertEquals(big.length, result.bytes());
    assertArrayEquals(big, Files.readAllBytes(target.resolve("base/1/big")));
  }

  /** Stores {@code data} as the backup does, in pieces of 1 MiB, in a pack of its own. */
  private StoredFile storeInPieces(String path, byte[] data, int zstdLevel) throws Exception {
    Path source = tmp.resolve("source-" + path.replace('/', '_'));
    Files.write(source, data);
    String pack = "s1/data/" + path.replace('/', '_');
    try (FrameCompressor compressor = new FrameCompressor(zstdLevel, 1 << 20);
        FileChannel in = FileChannel.open(source);
        ObjectWriter out = repo.create(NODE + pack, data.length)) {
      FrameCompressor.Frame frame = compressor.compress(in, data.length, out, (chunk, at) -> {}, false);
      out.commit();
      return new StoredFile(path, frame.bytes(), 1_700_000_000_000L, frame.checksum(), pack, 0, out.position(),
          compressor.codec().label(), null, null, frame.pieces());
    }
  }

  private static byte[] halfRandom(int size, long seed) {
    byte[] b = new byte[size];
    Random r = new Random(seed);
    for (int k = 0; k < size; k += 2) {
      b[k] = (byte) r.nextInt();
    }
    return b;
  }

  @Test
  void filesStoredInPiecesAreWrittenPieceBesidePieceAndChecked() throws Exception {
    Files.createDirectories(target);
    byte[] compressed = halfRandom(5 * (1 << 20) + 4321, 11);
    byte[] plain = halfRandom(3 * (1 << 20), 12);
    StoredFile zstd = storeInPieces("base/1/zstd", compressed, 1);
    StoredFile none = storeInPieces("base/1/none", plain, 0);
    byte[] repetitive = new byte[3 * (1 << 20) + 17];
    for (int k = 0; k < repetitive.length; k++) {
      repetitive[k] = (byte) (k % 7);
    }
    StoredFile dense = storeInPieces("base/1/dense", repetitive, 1);
    assertEquals(6, zstd.pieces().count());
    assertEquals(3, none.pieces().count());
    assertEquals(4, dense.pieces().count());
    // Slow to decode: side by side. Compressed far below an eighth: one pass, as one thread writes fastest.
    assertTrue(PieceFetcher.worthIt(zstd) && PieceFetcher.worthIt(none));
    assertFalse(PieceFetcher.worthIt(dense));
    writeList(List.of(zstd, stored.get(0), none, dense));

    FetchResult result = new BatchFetcher(repo).fetch(input(), new DyingHeartbeat(null, Integer.MAX_VALUE));
    assertEquals(4, result.files());
    assertArrayEquals(repetitive, Files.readAllBytes(target.resolve("base/1/dense")));
    assertArrayEquals(compressed, Files.readAllBytes(target.resolve("base/1/zstd")));
    assertArrayEquals(plain, Files.readAllBytes(target.resolve("base/1/none")));
    assertArrayEquals(contents.get(0), Files.readAllBytes(target.resolve(stored.get(0).path())));
    assertEquals(zstd.mtime(), Files.getLastModifiedTime(target.resolve("base/1/zstd")).toMillis());
    // Read back in one pass, as validation and reuse checks do, the pieces decode one after another.
    assertArrayEquals(compressed, FrameReader.read(repo, NODE, zstd));
    assertArrayEquals(plain, FrameReader.read(repo, NODE, none));
  }

  @Test
  void aDamagedPieceOrAWrongChecksumStopsARestoreOfPieces() throws Exception {
    Files.createDirectories(target);
    StoredFile zstd = storeInPieces("base/1/zstd", halfRandom(4 * (1 << 20) + 99, 21), 1);
    byte[] pack = repo.readAllBytes(NODE + zstd.pack());
    pack[(int) (zstd.pieces().storedOffset(2) + zstd.pieces().lengths().get(2) / 2)] ^= 0x5a;
    repo.put(NODE + zstd.pack(), pack);
    writeList(List.of(zstd));
    ApplicationFailure f = assertThrows(ApplicationFailure.class,
        () -> new BatchFetcher(repo).fetch(input(), new DyingHeartbeat(null, Integer.MAX_VALUE)));
    assertEquals(Failures.CORRUPT_BACKUP, f.getType());
    assertTrue(f.getOriginalMessage().contains("base/1/zstd"), f.getOriginalMessage());

    // Stored as they are, the pieces have no frame checksum of their own: the combined CRC-32C catches it.
    StoredFile none = storeInPieces("base/1/none", halfRandom(3 * (1 << 20) + 7, 22), 0);
    StoredFile wrong = new StoredFile(none.path(), none.size(), none.mtime(), "00000000", none.pack(), 0,
        none.length(), none.codec(), null, null, none.pieces());
    writeList(List.of(wrong));
    f = assertThrows(ApplicationFailure.class,
        () -> new BatchFetcher(repo).fetch(input(), new DyingHeartbeat(null, Integer.MAX_VALUE)));
    assertEquals(Failures.CORRUPT_BACKUP, f.getType());
    assertTrue(f.getOriginalMessage().contains("CRC-32C is " + none.checksum()), f.getOriginalMessage());

    repo.delete(NODE + none.pack());
    writeList(List.of(none));
    f = assertThrows(ApplicationFailure.class,
        () -> new BatchFetcher(repo).fetch(input(), new DyingHeartbeat(null, Integer.MAX_VALUE)));
    assertEquals(Failures.CORRUPT_BACKUP, f.getType());
    assertTrue(f.getOriginalMessage().contains("is missing from the repository"), f.getOriginalMessage());
  }

  @Test
  void refusesPathsThatLeaveTheDataDirectory() throws Exception {
    Files.createDirectories(target);
    writeList(List.of(new StoredFile("../escaped", 1, 1, "00000000", "s1/data/pack", 0, 1, "none")));
    Exception e = assertThrows(Exception.class,
        () -> new BatchFetcher(repo).fetch(input(), new DyingHeartbeat(null, Integer.MAX_VALUE)));
    assertTrue(e.getMessage().contains("not a path inside the data directory"));
    assertTrue(Files.notExists(tmp.resolve("escaped")));
  }
}
