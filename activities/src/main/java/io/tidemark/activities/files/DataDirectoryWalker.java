package io.tidemark.activities.files;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Set;

/**
 * Walks a data directory, and the tablespaces its pg_tblspc links point to, applying
 * {@link ExclusionRules}. Directories are read lazily, one stream per level of depth, so memory
 * does not grow with the number of files. Files and directories that vanish during the walk
 * (a dropped table, say) are simply not listed.
 */
public final class DataDirectoryWalker {

  /** Receives what the walk finds. */
  public interface Sink {
    void file(ListedFile file) throws IOException;

    void directory(DirectoryEntry directory) throws IOException;
  }

  private final Path dataDirectory;
  private final int major;
  private final Sink sink;

  /** @param major PostgreSQL major version, to pick this server's tablespace subdirectories */
  public DataDirectoryWalker(Path dataDirectory, int major, Sink sink) {
    this.dataDirectory = dataDirectory;
    this.major = major;
    this.sink = sink;
  }

  public void walk() throws IOException {
    walkDirectory(dataDirectory, "");
  }

  private void walkDirectory(Path dir, String rel) throws IOException {
    boolean databaseDirectory = ExclusionRules.isDatabaseDirectory(rel);
    Set<String> unlogged = databaseDirectory ? unloggedRelations(dir) : Set.of();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        String childRel = rel.isEmpty() ? name : rel + "/" + name;
        if (ExclusionRules.excludesName(name)
            || (rel.isEmpty() && ExclusionRules.excludesTopLevelFile(name))
            || (databaseDirectory && ExclusionRules.excludesRelationFile(name, unlogged))) {
          continue;
        }
        visit(entry, rel, childRel, name);
      }
    } catch (NoSuchFileException | NotDirectoryException vanished) {
      // dropped while we walked
    }
  }

  private void visit(Path entry, String parentRel, String rel, String name) throws IOException {
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException vanished) {
      return;
    }
    if (attrs.isSymbolicLink() && parentRel.equals("pg_tblspc")) {
      Path target = Files.readSymbolicLink(entry);
      Path resolved = entry.getParent().resolve(target).normalize();
      sink.directory(new DirectoryEntry(rel, target.toString()));
      walkTablespace(resolved, rel);
      return;
    }
    if (attrs.isSymbolicLink()) {
      // pg_wal on another disk, or a linked file: back up what the link points to.
      try {
        attrs = Files.readAttributes(entry, BasicFileAttributes.class);
      } catch (NoSuchFileException dangling) {
        return;
      }
    }
    if (attrs.isDirectory()) {
      sink.directory(DirectoryEntry.directory(rel));
      if (ExclusionRules.skipsContents(rel)) {
        if (ExclusionRules.keepsEmptySubdirectories(rel)) {
          listEmptySubdirectories(entry, rel);
        }
        return;
      }
      walkDirectory(entry, rel);
    } else if (attrs.isRegularFile()) {
      sink.file(new ListedFile(rel, attrs.size(), attrs.lastModifiedTime().toMillis()));
    }
    // sockets, fifos and devices have no place in a data directory: ignore them
  }

  private void walkTablespace(Path location, String linkRel) throws IOException {
    try (DirectoryStream<Path> versions = Files.newDirectoryStream(location)) {
      for (Path version : versions) {
        String name = version.getFileName().toString();
        if (ExclusionRules.isTablespaceVersionDirectory(name, major) && Files.isDirectory(version)) {
          String rel = linkRel + "/" + name;
          sink.directory(DirectoryEntry.directory(rel));
          walkDirectory(version, rel);
        }
      }
    } catch (NoSuchFileException vanished) {
      // tablespace dropped while we walked
    }
  }

  private void listEmptySubdirectories(Path dir, String rel) throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, Files::isDirectory)) {
      for (Path sub : entries) {
        if (ExclusionRules.excludesWalSubdirectory(sub.getFileName().toString())) {
          continue;
        }
        sink.directory(DirectoryEntry.directory(rel + "/" + sub.getFileName()));
      }
    }
  }

  /** Relfilenodes in a database directory that have an init fork: unlogged relations. */
  private static Set<String> unloggedRelations(Path dir) throws IOException {
    Set<String> unlogged = new HashSet<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, p -> p.getFileName().toString().endsWith("_init"))) {
      for (Path p : entries) {
        String relfilenode = ExclusionRules.initForkOf(p.getFileName().toString());
        if (relfilenode != null) {
          unlogged.add(relfilenode);
        }
      }
    } catch (NoSuchFileException vanished) {
      // dropped database
    }
    return unlogged;
  }
}
