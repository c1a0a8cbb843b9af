package io.tidemark.activities.restore;

import io.tidemark.activities.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A file in a data directory being restored that says which restore it belongs to: a retry of
 * the same restore may continue in the directory, anything else finds it not empty.
 */
record RestoreMarker(String restoreId, String backupId) {

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
