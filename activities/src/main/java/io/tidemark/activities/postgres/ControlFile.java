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
 * make sure a data directory, a server and a WAL archive belong together.
 */
public final class ControlFile {

  private ControlFile() {}

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
