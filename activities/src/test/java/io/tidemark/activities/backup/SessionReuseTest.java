package io.tidemark.activities.backup;

import io.tidemark.activities.files.ListedFile;
import io.tidemark.activities.repository.LocalRepository;
import io.tidemark.activities.repository.RepositoryLayout;
import io.tidemark.activities.runtime.Heartbeat;
import io.tidemark.activities.transfer.FrameReader;
import io.tidemark.activities.transfer.Ndjson;
import io.tidemark.activities.transfer.StoredFile;
import io.tidemark.workflows.activities.NodeBackupActivities.BatchResult;
import io.tidemark.workflows.activities.NodeBackupActivities.FileListSummary;
import io.tidemark.workflows.activities.NodeBackupActivities.SendFileListInput;
import io.tidemark.workflows.activities.NodeBackupActivities.SendFilesInput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A new session after a lost one reuses what the lost one stored, and only what provably did not change. */
class SessionReuseTest {

  static final String BACKUP = "20261121-103000F";
  static final String NODE = RepositoryLayout.node("main", BACKUP, "n1");

  @TempDir
  Path tmp;
  Path data;
  LocalRepository repo;

  @BeforeEach
  void setUp() throws IOException {
    data = tmp.resolve("data");
    repo = new LocalRepository(tmp.resolve("repo"));
    write("global/pg_control", bytes(8192, 1));
    write("PG_VERSION", "16\n".getBytes());
    for (int i = 0; i < 300; i++) {
      write("base/5/" + (16000 + i), bytes(i % 7 == 0 ? 5 << 20 : 8192 * (1 + i % 5), i));
    }
  }

  private void write(String path, byte[] content) throws IOException {
    Path p = data.resolve(path);
    Files.createDirectories(p.getParent());
    Files.write(p, content);
  }

  private static byte[] bytes(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  private FileListSummary list(int session) throws IOException {
    return new FileListSender(repo).send(new SendFileListInput("main", "n1", BACKUP, session, 160000, 2), data,
        Heartbeat.none());
  }

  private List<BatchResult> send(int session, FileListSummary summary) throws IOException {
    List<BatchResult> results = new ArrayList<>();
    for (int b = 0; b < summary.batches(); b++) {
      results.add(new BatchSender(repo, 1).send(
          new SendFilesInput("main", "n1", BACKUP, session, b, false, null, false), data, Heartbeat.none()));
    }
    return results;
  }

  private Map<String, StoredFile> stored(int session, int batches) throws IOException {
    Map<String, StoredFile> all = new HashMap<>();
    for (int b = 0; b < batches; b++) {
      Ndjson.forEach(repo, NODE + RepositoryLayout.storedFiles(session, b), StoredFile.class, f -> all.put(f.path(), f));
    }
    return all;
  }

  @Test
  void unchangedFilesAreReusedChangedOrDamagedOnesAreSentAgain() throws IOException {
    FileListSummary first = list(1);
    send(1, first);
    // Session 1 is lost before StopBackup. Meanwhile one file gets new bytes but keeps its size and
    // mtime (the checksum must catch it), one grows, one is dropped, and one stored copy rots.
    Path sneaky = data.resolve("base/5/16001");
    FileTime mtime = Files.getLastModifiedTime(sneaky);
    Files.write(sneaky, bytes(8192 * 2, 999));
    Files.setLastModifiedTime(sneaky, mtime);
    Files.write(data.resolve("base/5/16002"), bytes(8192 * 4, 1002), java.nio.file.StandardOpenOption.APPEND);
    Files.delete(data.resolve("base/5/16003"));
    StoredFile rotten = stored(1, first.batches()).get("base/5/16007");
    Path object = tmp.resolve("repo").resolve(NODE + rotten.pack());
    byte[] packBytes = Files.readAllBytes(object);
    packBytes[(int) (rotten.offset() + rotten.length() / 2)] ^= 0x11;
    Files.write(object, packBytes);

    FileListSummary second = list(2);
    assertEquals(first.files() - 1 - 1 - 1, second.reuseCandidates(),
        "every file but pg_control, the grown one and the dropped one matches by size and mtime");
    List<BatchResult> results = send(2, second);

    long reused = results.stream().mapToLong(r -> r.reuse().reusedFiles()).sum();
    assertEquals(second.reuseCandidates() - 2, reused, "the file with new bytes and the rotten copy are sent again");
    Map<String, StoredFile> now = stored(2, second.batches());
    assertEquals(second.files(), now.size());
    assertTrue(now.get("base/5/16000").pack().startsWith("s1/"), "an unchanged file points at session 1's pack");
    for (String changed : List.of("base/5/16001", "base/5/16002", "base/5/16007", "global/pg_control")) {
      assertTrue(now.get(changed).pack().startsWith("s2/"), changed + " is stored by session 2");
    }
    assertNull(now.get("base/5/16003"));
    for (StoredFile f : now.values()) {
      assertArrayEquals(Files.readAllBytes(data.resolve(f.path())), FrameReader.read(repo, NODE, f), f.path());
    }
  }

  @Test
  void aThirdSessionReusesCopiesOfBothEarlierSessionsIncludingPacksOfUnfinishedBatches() throws IOException {
    FileListSummary first = list(1);
    // Session 1 finishes only its first batch, and half of the second (a killed attempt's packs).
    send1(first, 0);
    RecordingKill kill = new RecordingKill(2);
    try {
      new BatchSender(repo, 1).send(new SendFilesInput("main", "n1", BACKUP, 1, 1, false, null, false), data, kill);
    } catch (IllegalStateException killed) {
      // as planned
    }
    FileListSummary second = list(2);
    assertTrue(second.reuseCandidates() > 0);
    // Session 2 stores one late batch (new packs of its own), then is lost too.
    new BatchSender(repo, 1).send(new SendFilesInput("main", "n1", BACKUP, 2, second.batches() - 2, false, null, false),
        data, Heartbeat.none());
    FileListSummary third = list(3);
    List<BatchResult> results = send(3, third);
    long reused = results.stream().mapToLong(r -> r.reuse().reusedFiles()).sum();
    assertEquals(third.reuseCandidates(), reused, "nothing changed: every candidate is reused");
    Map<String, StoredFile> now = stored(3, third.batches());
    assertEquals(third.files(), now.size());
    assertTrue(now.values().stream().anyMatch(f -> f.pack().startsWith("s1/data/b00001-a1-")),
        "copies from the packs of session 1's unfinished batch are reused");
    assertTrue(now.values().stream().anyMatch(f -> f.pack().startsWith("s2/")), "and copies session 2 stored");
    for (StoredFile f : now.values()) {
      assertArrayEquals(Files.readAllBytes(data.resolve(f.path())), FrameReader.read(repo, NODE, f), f.path());
    }
  }

  private void send1(FileListSummary summary, int batch) throws IOException {
    new BatchSender(repo, 1).send(new SendFilesInput("main", "n1", BACKUP, 1, batch, false, null, false), data,
        Heartbeat.none());
  }

  /** Dies after a number of committed packs, like a worker killed mid-batch. */
  static final class RecordingKill implements Heartbeat {
    final int packs;
    long lastFiles;
    int committed;

    RecordingKill(int packs) {
      this.packs = packs;
    }

    @Override
    public void beat(Object details) {
      if (details instanceof BatchSender.Progress p) {
        if (p.openBytes() == 0 && p.filesDone() > lastFiles) {
          committed++;
        }
        lastFiles = p.filesDone();
        if (committed >= packs) {
          throw new IllegalStateException("worker killed");
        }
      }
    }

    @Override
    public <T> java.util.Optional<T> previous(Class<T> type) {
      return java.util.Optional.empty();
    }

    @Override
    public int attempt() {
      return 1;
    }
  }
}
