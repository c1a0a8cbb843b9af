package io.tidemark.activities.transfer;

import com.github.luben.zstd.Zstd;
import io.tidemark.activities.Json;
import io.tidemark.activities.repository.ObjectWriter;
import io.tidemark.activities.repository.Repository;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The pack format. A pack is one repository object holding one or more files, each an independent
 * frame (so one file can be fetched with a ranged read), followed by an index of its files and a
 * fixed trailer:
 *
 * <pre>
 *   frame 0 | frame 1 | ... | index (zstd, JSON lines of StoredFile) | index length (8, big-endian) | "TDMKPAK1"
 * </pre>
 *
 * A pack describes itself: whoever finds one (a retried activity, validate) can tell what it holds
 * without any other record.
 */
public final class Packs {

  static final byte[] MAGIC = "TDMKPAK1".getBytes(StandardCharsets.US_ASCII);
  static final int TRAILER = 16;

  private Packs() {}

  /** Writes the index and trailer after the frames already in {@code out}. */
  public static void finish(ObjectWriter out, List<StoredFile> entries) throws IOException {
    ByteArrayOutputStream lines = new ByteArrayOutputStream();
    for (StoredFile f : entries) {
      lines.write(Json.bytes(f));
      lines.write('\n');
    }
    byte[] index = Zstd.compress(lines.toByteArray(), 3);
    out.write(index);
    out.write(ByteBuffer.allocate(TRAILER).putLong(index.length).put(MAGIC).array());
  }

  /** The files a pack holds, read from its own index. */
  public static List<StoredFile> readIndex(Repository repo, String key) throws IOException {
    byte[] trailer = readFully(repo.readTail(key, TRAILER));
    if (trailer.length != TRAILER || !Arrays.equals(Arrays.copyOfRange(trailer, 8, 16), MAGIC)) {
      throw new IOException("object " + key + " is not a Tidemark pack (no pack trailer)");
    }
    long indexLength = ByteBuffer.wrap(trailer).getLong();
    if (indexLength <= 0 || indexLength > Integer.MAX_VALUE) {
      throw new IOException("pack " + key + " has a damaged trailer");
    }
    byte[] tail = readFully(repo.readTail(key, TRAILER + indexLength));
    byte[] compressed = Arrays.copyOfRange(tail, 0, (int) indexLength);
    long size = Zstd.getFrameContentSize(compressed);
    if (size < 0 || size > Integer.MAX_VALUE) {
      throw new IOException("pack " + key + " has a damaged index");
    }
    String text = new String(Zstd.decompress(compressed, (int) size), StandardCharsets.UTF_8);
    List<StoredFile> entries = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (!line.isEmpty()) {
        entries.add(Json.read(line.getBytes(StandardCharsets.UTF_8), StoredFile.class));
      }
    }
    return entries;
  }

  private static byte[] readFully(InputStream in) throws IOException {
    try (in) {
      return in.readAllBytes();
    }
  }
}
