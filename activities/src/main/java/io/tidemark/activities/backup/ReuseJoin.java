package io.tidemark.activities.backup;

import io.tidemark.activities.Json;
import io.tidemark.activities.files.ListedFile;
import io.tidemark.activities.transfer.StoredFile;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.stream.Stream;

/**
 * Pairs every listed file with the copy an earlier session stored of it, when size and mtime still
 * match, without holding either list in memory: both sides are hash-partitioned by path into local
 * files, each partition is joined in a map of bounded size, and the matches (sorted by the listed
 * file's position within each partition) are merged back into list order.
 */
final class ReuseJoin {

  /** Paths per partition that a join holds in memory, at most (about 30 MB of copies). */
  static final int PARTITION_ENTRIES = 100_000;

  private final Path work;
  private final int partitionEntries;

  /** @param work an empty scratch directory, deleted by the caller */
  ReuseJoin(Path work) {
    this(work, PARTITION_ENTRIES);
  }

  ReuseJoin(Path work, int partitionEntries) {
    this.work = work;
    this.partitionEntries = partitionEntries;
  }

  /** What the join did. */
  record Outcome(long earlierCopies, long candidates) {}

  /**
   * Rewrites {@code spool} (JSON lines of {@link ListedFile}, {@code listed} of them) in place,
   * each file carrying the earlier copy that may be reused.
   */
  Outcome annotate(Path spool, long listed, EarlierCopies earlier, int beforeSession) throws IOException {
    int partitions = (int) Math.max(1, (listed + partitionEntries - 1) / partitionEntries);
    List<BufferedWriter> copies = writers("copies", partitions);
    long earlierCopies;
    try {
      earlierCopies = earlier.forEach(beforeSession, copy -> line(copies, partitions, copy.path(), Json.MAPPER.writeValueAsString(copy)));
    } finally {
      closeAll(copies);
    }
    if (earlierCopies == 0) {
      return new Outcome(0, 0);
    }
    partitionListed(spool, partitions);
    long candidates = 0;
    for (int p = 0; p < partitions; p++) {
      candidates += joinPartition(p);
    }
    mergeBack(spool, partitions);
    return new Outcome(earlierCopies, candidates);
  }

  /** Listed files, each line prefixed with its position in the list. */
  private void partitionListed(Path spool, int partitions) throws IOException {
    List<BufferedWriter> listed = writers("listed", partitions);
    try (BufferedReader in = Files.newBufferedReader(spool, StandardCharsets.UTF_8)) {
      long position = 0;
      for (String json = in.readLine(); json != null; json = in.readLine(), position++) {
        ListedFile file = Json.MAPPER.readValue(json, ListedFile.class);
        line(listed, partitions, file.path(), position + "\t" + json);
      }
    } finally {
      closeAll(listed);
    }
  }

  /** Writes "position TAB copy" for each listed file of partition {@code p} with a matching copy. */
  private long joinPartition(int p) throws IOException {
    Map<String, StoredFile> newest = new HashMap<>();
    try (BufferedReader in = Files.newBufferedReader(file("copies", p), StandardCharsets.UTF_8)) {
      for (String json = in.readLine(); json != null; json = in.readLine()) {
        StoredFile copy = Json.MAPPER.readValue(json, StoredFile.class);
        newest.put(copy.path(), copy); // sessions come oldest first: the newest copy wins
      }
    }
    long matches = 0;
    try (BufferedReader in = Files.newBufferedReader(file("listed", p), StandardCharsets.UTF_8);
        BufferedWriter out = Files.newBufferedWriter(file("matches", p), StandardCharsets.UTF_8)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        int tab = line.indexOf('\t');
        ListedFile file = Json.MAPPER.readValue(line.substring(tab + 1), ListedFile.class);
        StoredFile copy = newest.get(file.path());
        if (copy != null && file.sameAs(copy)) {
          out.write(line, 0, tab);
          out.write('\t');
          out.write(Json.MAPPER.writeValueAsString(copy));
          out.newLine();
          matches++;
        }
      }
    }
    return matches;
  }

  /** Rewrites the spool in its own order, each file with its match if it has one. */
  private void mergeBack(Path spool, int partitions) throws IOException {
    Path merged = work.resolve("merged");
    List<MatchReader> readers = new ArrayList<>();
    PriorityQueue<MatchReader> heads = new PriorityQueue<>(Comparator.comparingLong(r -> r.position));
    try (BufferedReader in = Files.newBufferedReader(spool, StandardCharsets.UTF_8);
        BufferedWriter out = Files.newBufferedWriter(merged, StandardCharsets.UTF_8)) {
      for (int p = 0; p < partitions; p++) {
        MatchReader r = new MatchReader(file("matches", p));
        readers.add(r);
        if (r.advance()) {
          heads.add(r);
        }
      }
      long position = 0;
      for (String json = in.readLine(); json != null; json = in.readLine(), position++) {
        MatchReader head = heads.peek();
        if (head != null && head.position == position) {
          heads.poll();
          ListedFile file = Json.MAPPER.readValue(json, ListedFile.class);
          json = Json.MAPPER.writeValueAsString(file.withEarlier(Json.MAPPER.readValue(head.copy, StoredFile.class)));
          if (head.advance()) {
            heads.add(head);
          }
        }
        out.write(json);
        out.newLine();
      }
    } finally {
      for (MatchReader r : readers) {
        r.in.close();
      }
    }
    Files.move(merged, spool, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  /** Reads one partition's matches, in position order. */
  private static final class MatchReader {
    final BufferedReader in;
    long position;
    String copy;

    MatchReader(Path file) throws IOException {
      this.in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
    }

    boolean advance() throws IOException {
      String line = in.readLine();
      if (line == null) {
        return false;
      }
      int tab = line.indexOf('\t');
      position = Long.parseLong(line.substring(0, tab));
      copy = line.substring(tab + 1);
      return true;
    }
  }

  private Path file(String kind, int partition) {
    return work.resolve(kind + "-" + partition);
  }

  private List<BufferedWriter> writers(String kind, int partitions) throws IOException {
    List<BufferedWriter> writers = new ArrayList<>(partitions);
    try {
      for (int p = 0; p < partitions; p++) {
        writers.add(Files.newBufferedWriter(file(kind, p), StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      closeAll(writers);
      throw e;
    }
    return writers;
  }

  private static void line(List<BufferedWriter> writers, int partitions, String path, String text) throws IOException {
    BufferedWriter w = writers.get(Math.floorMod(path.hashCode(), partitions));
    w.write(text);
    w.newLine();
  }

  private static void closeAll(List<BufferedWriter> writers) throws IOException {
    IOException first = null;
    for (BufferedWriter w : writers) {
      try {
        w.close();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** Deletes a scratch directory and what is in it. */
  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    }
  }
}
