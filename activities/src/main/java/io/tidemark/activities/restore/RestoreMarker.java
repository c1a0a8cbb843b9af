package io.tidemark.activities.restore;

import io.tidemark.activities.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A file in a data directory being restored that says which restore it belongs to: a retry of
 * the same restore may continue in the directory, anything else finds it not empty. Once
 * PostgreSQL has been started on the directory, its files are no longer the backup's: a new attempt
 * at the node empties the directory and begins again.
 *
 * @param started PostgreSQL was started on the directory (null in markers written before this was kept)
 */
record RestoreMarker(String restoreId, String backupId, Boolean started) {

  RestoreMarker(String restoreId, String backupId) {
    this(restoreId, backupId, false);
  }

  boolean wasStarted() {
    return Boolean.TRUE.equals(started);
  }

  /** Marks the directory as one PostgreSQL is about to start on. */
  static void markStarted(Path dataDirectory) throws IOException {
    RestoreMarker m = read(dataDirectory);
    if (m != null && !m.wasStarted()) {
      new RestoreMarker(m.restoreId(), m.backupId(), true).write(dataDirectory);
    }
  }

  static final String FILE = ".tidemark-restore";

  static RestoreMarker read(Path dataDirectory) throws IOException {
    try {
      return Json.read(Files.readAllBytes(dataDirectory.resolve(FILE)), RestoreMarker.class);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  void write(Path dataDirectory) throws IOException {
    Files.write(dataDirectory.resolve(FILE), Json.bytes(this));
  }

  static void remove(Path dataDirectory) throws IOException {
    Files.deleteIfExists(dataDirectory.resolve(FILE));
  }
}
