package io.tidemark.activities.files;

import io.tidemark.activities.transfer.StoredFile;

/**
 * A file to back up, as seen when the data directory was listed.
 *
 * @param earlier a copy an earlier session of the same node backup stored, with the same size and
 *     mtime: SendFiles reuses it if the file's bytes still have its checksum (null: none)
 */
public record ListedFile(String path, long size, long mtime, StoredFile earlier) {

  public ListedFile(String path, long size, long mtime) {
    this(path, size, mtime, null);
  }

  public ListedFile withEarlier(StoredFile copy) {
    return new ListedFile(path, size, mtime, copy);
  }

  /** Whether {@code copy} was taken of this file as it is now listed: same path, size and mtime. */
  public boolean sameAs(StoredFile copy) {
    return copy.path().equals(path) && copy.size() == size && copy.mtime() == mtime;
  }
}
