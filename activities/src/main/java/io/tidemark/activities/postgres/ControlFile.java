package io.tidemark.activities.postgres;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads global/pg_control. Its first field is the database system identifier, the same on a
 * primary, its standbys and its backups, and different for every initdb: Tidemark uses it to
 * make sure a data directory, a server and a WAL archive belong together. The fields read here
 * sit at the same offsets in every supported version (13 to 18).
 */
public final class ControlFile {

  /** The cluster state, PostgreSQL's DBState. */
  public enum State {
    STARTUP, SHUT_DOWN, SHUT_DOWN_IN_RECOVERY, SHUTTING_DOWN, IN_CRASH_RECOVERY, IN_ARCHIVE_RECOVERY, IN_PRODUCTION
  }

  /** The parts of pg_control Tidemark reads. */
  public record Summary(String systemIdentifier, State state, String checkpointLsn, int checkpointTimeline) {}

  private static final int STATE_OFFSET = 16;
  private static final int CHECKPOINT_OFFSET = 32;
  private static final int TIMELINE_OFFSET = 48;

  private ControlFile() {}

  public static Summary read(Path dataDirectory) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(TIMELINE_OFFSET + 4).order(ByteOrder.nativeOrder());
    try (FileChannel ch = FileChannel.open(of(dataDirectory), StandardOpenOption.READ)) {
      while (buf.hasRemaining()) {
        if (ch.read(buf) < 0) {
          throw new IOException(of(dataDirectory) + " is too short to be a pg_control file");
        }
      }
    }
    buf.flip();
    int state = buf.getInt(STATE_OFFSET);
    return new Summary(Long.toUnsignedString(buf.getLong(0)),
        state >= 0 && state < State.values().length ? State.values()[state] : State.STARTUP,
        new io.tidemark.workflows.model.Lsn(buf.getLong(CHECKPOINT_OFFSET)).toString(), buf.getInt(TIMELINE_OFFSET));
  }

  public static Path of(Path dataDirectory) {
    return dataDirectory.resolve("global").resolve("pg_control");
  }

  /** The system identifier, as PostgreSQL prints it (unsigned decimal). */
  public static String systemIdentifier(Path dataDirectory) throws IOException {
    try (FileChannel ch = FileChannel.open(of(dataDirectory), StandardOpenOption.READ)) {
      ByteBuffer buf = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
      while (buf.hasRemaining()) {
        if (ch.read(buf) < 0) {
          throw new IOException(of(dataDirectory) + " is too short to be a pg_control file");
        }
      }
      return Long.toUnsignedString(buf.flip().getLong());
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(of(dataDirectory).toString(), null,
          "no PostgreSQL data directory here (global/pg_control is missing)");
    }
  }
}
