package io.tidemark.activities.repository;

import java.io.IOException;

/** A create-if-absent found the key taken. */
public class ObjectExistsException extends IOException {
  public ObjectExistsException(String key) {
    super("object " + key + " already exists");
  }
}
