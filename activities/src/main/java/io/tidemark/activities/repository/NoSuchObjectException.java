package io.tidemark.activities.repository;

import java.io.FileNotFoundException;

/** The key names no object. */
public class NoSuchObjectException extends FileNotFoundException {
  public NoSuchObjectException(String key) {
    super("no object " + key);
  }
}
