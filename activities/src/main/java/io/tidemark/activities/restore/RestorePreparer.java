package io.tidemark.activities.restore;

import io.temporal.failure.ApplicationFailure;
import io.tidemark.activities.files.DirectoryEntry;
import io.tidemark.activities.postgres.PgBinaries;
import io.tidemark.activities.postgres.PgCtl;
import io.tidemark.activities.postgres.PgVersions;
import io.tidemark.activities.repository.Repository;
import io.tidemark.activities.repository.RepositoryLayout;
import io.tidemark.activities.transfer.Ndjson;
import io.tidemark.workflows.Failures;
import io.tidemark.workflows.activities.NodeRestoreActivities.PrepareRestoreInput;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * PrepareRestore: every check that can fail before anything is written, then the directory tree.
 * A directory that already carries this restore's marker is a retry, and is continued.
 */
final class RestorePreparer {

  private final Repository repo;
  private final NodeDefaults defaults;

  RestorePreparer(Repository repo, NodeDefaults defaults) {
    this.repo = repo;
    this.defaults = defaults;
  }

  void prepare(PrepareRestoreInput in) throws IOException, InterruptedException {
    Path dir = Path.of(in.dataDirectory()).normalize();
    try {
      prepare(in, dir);
    } catch (AccessDeniedException e) {
      throw ApplicationFailure.newNonRetryableFailure("node " + in.node() + " cannot be restored into " + dir
          + ": permission denied at " + e.getFile() + "; give the agent's user write access there (or choose another"
          + " directory), then retry the node", Failures.TARGET_UNWRITABLE);
    }
  }

  private void prepare(PrepareRestoreInput in, Path dir) throws IOException, InterruptedException {
    Path bin = defaults.binDirectory(in.cluster(), in.node(), in.binDirectory());
    List<DirectoryEntry> entries = new ArrayList<>();
    Ndjson.forEach(repo, RepositoryLayout.node(in.cluster(), in.backupId(), in.node())
        + RepositoryLayout.directories(in.session()), DirectoryEntry.class, entries::add);
    boolean resuming = checkDirectory(dir, in);
    checkBinaries(bin, in);
    if (resuming && RestoreMarker.read(dir).wasStarted()) {
      startAgain(dir, new PgCtl(bin, defaults.pgCtl(in.cluster(), in.node()), dir), entries);
      resuming = false;
    }
    if (!resuming) {
      checkPort(in.port(), in.node());
      checkTablespaceLocations(entries, in.node());
    }

    DataDirectories.createDirectories(dir);
    new RestoreMarker(in.restoreId(), in.backupId()).write(dir);
    for (DirectoryEntry e : entries) {
      Path path = DataDirectories.resolve(dir, e.path());
      if (e.hasLink()) {
        DataDirectories.createDirectories(Path.of(e.link()));
        if (!Files.isSymbolicLink(path)) {
          DataDirectories.createDirectories(path.getParent());
          Files.createSymbolicLink(path, Path.of(e.link()));
        }
      } else {
        DataDirectories.createDirectories(path);
      }
    }
    DataDirectories.sync(dir);
  }

  /**
   * An earlier attempt of this restore started PostgreSQL here, and recovery changed the files:
   * they are not the backup's any more. Stop that server if it still runs, and empty the directory
   * and this restore's tablespace locations, so the node is restored from scratch.
   */
  private static void startAgain(Path dir, PgCtl pgCtl, List<DirectoryEntry> entries)
      throws IOException, InterruptedException {
    if (pgCtl.runningPid().isPresent()) {
      pgCtl.stopImmediately();
    }
    for (DirectoryEntry e : entries) {
      if (e.hasLink()) {
        DataDirectories.deleteContents(Path.of(e.link()));
      }
    }
    DataDirectories.deleteContents(dir);
  }

  /** @return true if the directory is this restore's own, from an earlier attempt */
  private static boolean checkDirectory(Path dir, PrepareRestoreInput in) throws IOException {
    if (!Files.exists(dir)) {
      return false;
    }
    if (!Files.isDirectory(dir)) {
      throw notEmpty(dir + " exists and is not a directory");
    }
    if (DataDirectories.isEmptyDirectory(dir)) {
      return false;
    }
    RestoreMarker marker = RestoreMarker.read(dir);
    if (marker != null && marker.restoreId().equals(in.restoreId())) {
      return true;
    }
    String some;
    try (var listing = Files.list(dir)) {
      some = listing.limit(4).map(p -> p.getFileName().toString()).sorted().collect(Collectors.joining(", "));
    }
    throw notEmpty("target directory " + dir + " is not empty (it holds " + some + ", ...): restore node " + in.node()
        + " into an empty or new directory; nothing was written");
  }

  private static ApplicationFailure notEmpty(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, Failures.TARGET_NOT_EMPTY);
  }

  private static void checkBinaries(Path bin, PrepareRestoreInput in) throws IOException, InterruptedException {
    int wanted = PgVersions.major(in.pgVersion());
    int found;
    try {
      found = PgBinaries.major(bin);
    } catch (IOException e) {
      throw ApplicationFailure.newNonRetryableFailure("node " + in.node() + ": " + e.getMessage()
          + "; set binDirectory to PostgreSQL " + wanted + "'s binaries", Failures.VERSION_MISMATCH);
    }
    if (found != wanted) {
      throw ApplicationFailure.newNonRetryableFailure("backup " + in.backupId() + " of node " + in.node() + " is PostgreSQL "
          + wanted + ", but the binaries in " + bin + " are PostgreSQL " + found + ": set binDirectory to PostgreSQL "
          + wanted + "'s binaries", Failures.VERSION_MISMATCH);
    }
  }

  private static void checkPort(int port, String node) {
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress(port));
    } catch (IOException inUse) {
      throw ApplicationFailure.newNonRetryableFailure("port " + port + " is already in use on this host: choose another"
          + " port for node " + node + "; nothing was written", Failures.PORT_IN_USE);
    }
  }

  /** Tablespaces go back where they were; those places must be free (remapping comes later). */
  private static void checkTablespaceLocations(List<DirectoryEntry> entries, String node) throws IOException {
    for (DirectoryEntry e : entries) {
      if (e.hasLink()) {
        Path location = Path.of(e.link());
        if (Files.exists(location) && !(Files.isDirectory(location) && DataDirectories.isEmptyDirectory(location))) {
          throw notEmpty("node " + node + " has a tablespace at " + location + ", and that directory is not empty here;"
              + " nothing was written");
        }
      }
    }
  }
}
