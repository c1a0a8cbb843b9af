package io.tidemark.activities.pages;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the data page checksums of one relation file as it is copied, the way PostgreSQL's own
 * base backup does: only pages that are not new and were last changed before the backup started
 * (later ones may be torn, and WAL replay rewrites them); a page that fails is read once more
 * before it counts, since a concurrent write can tear it between reads.
 */
public final class PageVerifier {

  /** Relation file names: relfilenode, fork, segment. */
  private static final Pattern RELATION_FILE = Pattern.compile("\\d+(?:_(?:fsm|vm|init))?(?:\\.(\\d+))?");
  /** Beyond this many bad pages a file's list stops growing; the count does not. */
  static final int MAX_LISTED = 100;

  private final FileChannel source;
  private final long firstBlock;
  private final long backupStartLsn;
  private final PageChecksum.Calculator checksum = new PageChecksum.Calculator();
  private final List<Long> badBlocks = new ArrayList<>();
  private long badCount;

  private PageVerifier(FileChannel source, long segment, long backupStartLsn) {
    this.source = source;
    this.firstBlock = segment * PageChecksum.BLOCKS_PER_SEGMENT;
    this.backupStartLsn = backupStartLsn;
  }

  /** A verifier for the file, or null if it is not a file with page checksums. */
  public static PageVerifier forFile(String path, FileChannel source, long backupStartLsn) {
    boolean inRelationDirectory = path.startsWith("base/") || path.startsWith("global/") || path.startsWith("pg_tblspc/");
    Matcher m = RELATION_FILE.matcher(path.substring(path.lastIndexOf('/') + 1));
    if (!inRelationDirectory || !m.matches()) {
      return null;
    }
    long segment = m.group(1) == null ? 0 : Long.parseLong(m.group(1));
    return new PageVerifier(source, segment, backupStartLsn);
  }

  /** Checks the whole pages in a chunk read at {@code fileOffset} (a multiple of the page size). */
  public void inspect(ByteBuffer chunk, long fileOffset) throws IOException {
    ByteBuffer data = chunk.duplicate();
    int pages = data.remaining() / PageChecksum.PAGE_SIZE;
    for (int i = 0; i < pages; i++) {
      ByteBuffer page = data.duplicate().position(data.position() + i * PageChecksum.PAGE_SIZE);
      long pageInFile = fileOffset / PageChecksum.PAGE_SIZE + i;
      if (fails(page, pageInFile) && failsAgain(pageInFile)) {
        badCount++;
        if (badBlocks.size() < MAX_LISTED) {
          badBlocks.add(firstBlock + pageInFile);
        }
      }
    }
  }

  private boolean fails(ByteBuffer page, long pageInFile) {
    if (PageChecksum.isNew(page) || Long.compareUnsigned(PageChecksum.lsn(page), backupStartLsn) >= 0) {
      return false;
    }
    return checksum.compute(page, firstBlock + pageInFile) != PageChecksum.stored(page);
  }

  private boolean failsAgain(long pageInFile) throws IOException {
    ByteBuffer again = ByteBuffer.allocate(PageChecksum.PAGE_SIZE);
    long position = pageInFile * PageChecksum.PAGE_SIZE;
    while (again.hasRemaining()) {
      if (source.read(again, position + again.position()) < 0) {
        return false; // truncated meanwhile: WAL replay restores it
      }
    }
    return fails(again.flip(), pageInFile);
  }

  /** Block numbers (within the relation) of the bad pages, at most {@link #MAX_LISTED}. */
  public List<Long> badBlocks() {
    return badBlocks;
  }

  public long badCount() {
    return badCount;
  }
}
