package io.tidemark.activities.backup;

import io.tidemark.activities.files.ListedFile;
import io.tidemark.activities.repository.LocalRepository;
import io.tidemark.activities.repository.RepositoryLayout;
import io.tidemark.activities.runtime.Heartbeat;
import io.tidemark.activities.transfer.FrameReader;
import io.tidemark.activities.transfer.Ndjson;
import io.tidemark.activities.transfer.StoredFile;
import io.tidemark.workflows.activities.NodeBackupActivities.BatchResult;
import io.tidemark.workflows.activities.NodeBackupActivities.SendFilesInput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchSenderTest {

  @TempDir
  Path tmp;
  Path data;
  LocalRepository repo;
  final Map<String, byte[]> contents = new LinkedHashMap<>();
  final List<ListedFile> listed = new ArrayList<>();
  static final SendFilesInput BATCH = new SendFilesInput("main", "n1", "20261121-103000F", 1, 0, false, null, false);
  static final String NODE = RepositoryLayout.node("main", "20261121-103000F", "n1");

  /** A compressible file: repeated text with some randomness. */
  private static byte[] content(int size, long seed) {
    Random r = new Random(seed);
    byte[] b = new byte[size];
    byte[] words = "tuple page heap btree vacuum xmin ".getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < size; i++) {
      b[i] = r.nextInt(10) == 0 ? (byte) r.nextInt(256) : words[i % words.length];
    }
    return b;
  }

  private void add(String path, byte[] bytes) throws IOException {
    Path p = data.resolve(path);
    Files.createDirectories(p.getParent());
    Files.write(p, bytes);
    contents.put(path, bytes);
    listed.add(new ListedFile(path, bytes.length, Files.getLastModifiedTime(p).toMillis()));
  }

  @BeforeEach
  void setUp() throws IOException {
    data = tmp.resolve("data");
    repo = new LocalRepository(tmp.resolve("repo"));
    for (int i = 0; i < 40; i++) {
      add("base/16384/" + (20000 + i), content(1000 + i * 5000, i));
    }
    // Incompressible ones, so that small files fill more than one shared pack.
    for (int i = 0; i < 80; i++) {
      byte[] noise = new byte[1000 + (i % 40) * 5000];
      new Random(i).nextBytes(noise);
      add("base/16384/" + (20100 + i), noise);
    }
    add("base/16384/30000", content(6 << 20, 100));
    add("base/16384/30001", content(5 << 20, 101));
    add("base/16384/30002", new byte[0]);
    // Read with O_DIRECT where the filesystem allows it: a size that is no multiple of a block.
    add("base/16384/30003", content((3 << 20) + 1234, 102));
  }

  private void writeList() throws IOException {
    try (Ndjson.Writer<ListedFile> w = Ndjson.create(repo, NODE + RepositoryLayout.fileList(1, 0), ListedFile.class)) {
      for (ListedFile f : listed) {
        w.add(f);
      }
      w.commit();
    }
  }

  private List<StoredFile> stored() throws IOException {
    List<StoredFile> all = new ArrayList<>();
    Ndjson.forEach(repo, NODE + RepositoryLayout.storedFiles(1, 0), StoredFile.class, all::add);
    return all;
  }

  private void assertEveryFileStoredExactly(List<StoredFile> stored) throws IOException {
    assertEquals(contents.keySet(), new java.util.LinkedHashSet<>(stored.stream().map(StoredFile::path).toList()));
    for (StoredFile f : stored) {
      assertArrayEquals(contents.get(f.path()), FrameReader.read(repo, NODE, f), f.path());
    }
  }

  /**
   * Records heartbeats; can "die" like a killed worker after a number of committed packs, while the
   * next pack holds bytes.
   */
  static final class RecordingHeartbeat implements Heartbeat {
    final int attempt;
    final Object previous;
    final int dieAfterPacks;
    final List<BatchSender.Progress> beats = new ArrayList<>();
    int packs;
    long maxOpenBytes;

    RecordingHeartbeat(int attempt, Object previous, int dieAfterPacks) {
      this.attempt = attempt;
      this.previous = previous;
      this.dieAfterPacks = dieAfterPacks;
    }

    @Override
    public void beat(Object details) {
      if (details instanceof BatchSender.Progress p) {
        BatchSender.Progress before = beats.isEmpty() ? null : beats.get(beats.size() - 1);
        beats.add(p);
        maxOpenBytes = Math.max(maxOpenBytes, p.openBytes());
        // Files are recorded, and reported, a pack at a time, once the pack is committed.
        if (before != null && p.filesDone() > before.filesDone()) {
          packs++;
        }
        // Killed while the next pack is half written: some bytes are read but not committed.
        if (packs >= dieAfterPacks && p.openBytes() > 0) {
          throw new IllegalStateException("worker killed");
        }
      }
    }

    BatchSender.Progress last() {
      return beats.get(beats.size() - 1);
    }

    @Override
    public <T> Optional<T> previous(Class<T> type) {
      return Optional.ofNullable(type.cast(previous));
    }

    @Override
    public int attempt() {
      return attempt;
    }
  }

  private static long packsBy(List<StoredFile> stored, String attempt) {
    return stored.stream().map(StoredFile::pack).filter(p -> p.contains(attempt)).distinct().count();
  }

  @Test
  void storesEveryFileOnceWithItsChecksumSmallFilesSharingPacks() throws IOException {
    writeList();
    BatchResult result = new BatchSender(repo, 1).send(BATCH, data, new RecordingHeartbeat(1, null, Integer.MAX_VALUE));

    List<StoredFile> stored = stored();
    assertEveryFileStoredExactly(stored);
    assertEquals(contents.size(), result.files());
    assertEquals(contents.values().stream().mapToLong(b -> b.length).sum(), result.bytes());
    StoredFile big = stored.stream().filter(f -> f.path().equals("base/16384/30000")).findFirst().orElseThrow();
    assertTrue(big.length() < big.size() / 3, "compressible data is compressed: " + big.length());
    long packs = stored.stream().map(StoredFile::pack).distinct().count();
    assertTrue(packs < 12, "120 small files share a few packs; large files get their own: " + packs);
    assertEquals(1, stored.stream().filter(f -> f.path().equals("base/16384/30000")).map(StoredFile::pack)
        .filter(p -> stored.stream().filter(g -> g.pack().equals(p)).count() == 1).count(), "a large file has a pack of its own");
  }

  @Test
  void aRetryTakesOverEveryCommittedPackAndCountsWhatItSendsAgain() throws IOException {
    writeList();
    RecordingHeartbeat first = new RecordingHeartbeat(1, null, 3);
    assertThrows(IllegalStateException.class, () -> new BatchSender(repo, 1).send(BATCH, data, first));
    BatchSender.Progress reported = first.last();
    assertTrue(reported.openBytes() > 0, "killed with a pack half written");

    RecordingHeartbeat second = new RecordingHeartbeat(2, reported, Integer.MAX_VALUE);
    BatchResult result = new BatchSender(repo, 1).send(BATCH, data, second);

    List<StoredFile> stored = stored();
    assertEveryFileStoredExactly(stored);
    assertEquals(3, packsBy(stored, "-a1-"), "the three committed packs are taken over");
    assertTrue(result.resumed() > 0 && result.resumed() < contents.size());
    assertEquals(contents.size(), result.files());
    assertEquals(reported.openBytes(), result.reuse().resentBytes(), "what the dead attempt had not committed is sent again");
    assertTrue(result.reuse().resentBytes() <= BatchSender.PACK_TARGET_BYTES + (6 << 20),
        "a crash costs at most the pack being written: " + result.reuse().resentBytes());
  }

  @Test
  void aRetryFindsCommittedPacksEvenIfTheirHeartbeatNeverArrived() throws IOException {
    writeList();
    RecordingHeartbeat first = new RecordingHeartbeat(1, null, 3);
    assertThrows(IllegalStateException.class, () -> new BatchSender(repo, 1).send(BATCH, data, first));
    // The server kept only an early heartbeat: the details the SDK throttled away are lost.
    BatchSender.Progress stale = first.beats.get(1);

    BatchResult result = new BatchSender(repo, 1).send(BATCH, data, new RecordingHeartbeat(2, stale, Integer.MAX_VALUE));

    List<StoredFile> stored = stored();
    assertEveryFileStoredExactly(stored);
    assertEquals(3, packsBy(stored, "-a1-"), "every pack the first attempt committed is used, reported or not");
    assertEquals(stored.stream().filter(f -> f.pack().contains("-a1-")).count(), result.resumed());
  }

  @Test
  void aThirdAttemptUsesThePacksOfBothEarlierOnesAndStoresEachFileOnce() throws IOException {
    writeList();
    RecordingHeartbeat first = new RecordingHeartbeat(1, null, 2);
    assertThrows(IllegalStateException.class, () -> new BatchSender(repo, 1).send(BATCH, data, first));
    RecordingHeartbeat second = new RecordingHeartbeat(2, first.last(), 1);
    assertThrows(IllegalStateException.class, () -> new BatchSender(repo, 1).send(BATCH, data, second));

    new BatchSender(repo, 1).send(BATCH, data, new RecordingHeartbeat(3, second.last(), Integer.MAX_VALUE));

    List<StoredFile> stored = stored();
    assertEveryFileStoredExactly(stored);
    assertEquals(2, packsBy(stored, "-a1-"));
    assertEquals(1, packsBy(stored, "-a2-"));
  }

  @Test
  void aFileThatVanishedIsSkippedAndOneThatGrewIsCutAtItsListedSize() throws IOException {
    writeList();
    Files.delete(data.resolve("base/16384/20003"));
    byte[] grown = Arrays.copyOf(contents.get("base/16384/20004"), contents.get("base/16384/20004").length + 5000);
    Files.write(data.resolve("base/16384/20004"), grown);
    contents.remove("base/16384/20003");

    BatchResult result = new BatchSender(repo, 1).send(BATCH, data, new RecordingHeartbeat(1, null, Integer.MAX_VALUE));

    assertEquals(1, result.vanished());
    assertEveryFileStoredExactly(stored());
  }

  @Test
  void storesFramesUncompressedWhenAsked() throws IOException {
    writeList();
    BatchResult result = new BatchSender(repo, 0).send(BATCH, data, new RecordingHeartbeat(1, null, Integer.MAX_VALUE));
    List<StoredFile> stored = stored();
    assertTrue(stored.stream().allMatch(f -> f.codec().equals("none")));
    assertEquals(result.bytes(), result.storedBytes());
    assertEveryFileStoredExactly(stored);
  }

  @Test
  void aDamagedObjectIsNamedWhenRead() throws IOException {
    writeList();
    new BatchSender(repo, 1).send(BATCH, data, new RecordingHeartbeat(1, null, Integer.MAX_VALUE));
    StoredFile victim = stored().stream().filter(f -> f.path().equals("base/16384/30001")).findFirst().orElseThrow();
    Path object = tmp.resolve("repo").resolve(NODE + victim.pack());
    byte[] bytes = Files.readAllBytes(object);
    bytes[(int) (victim.offset() + victim.length() / 2)] ^= 0x40;
    Files.write(object, bytes);
    IOException e = assertThrows(IOException.class, () -> FrameReader.read(repo, NODE, victim));
    assertTrue(e.getMessage().contains("base/16384/30001") && e.getMessage().contains(victim.pack()), e.getMessage());
  }
}
