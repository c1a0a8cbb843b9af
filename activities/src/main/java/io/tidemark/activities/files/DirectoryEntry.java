package io.tidemark.activities.files;

/**
 * A directory to recreate on restore, or a tablespace link ({@code pg_tblspc/<oid>} and the
 * directory it points to).
 */
public record DirectoryEntry(String path, String link) {

  public static DirectoryEntry directory(String path) {
    return new DirectoryEntry(path, null);
  }

  public boolean hasLink() {
    return link != null;
  }
}
