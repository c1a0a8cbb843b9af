package io.tidemark.activities.files;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a base backup leaves out, as PostgreSQL's own base backup does (src/backend/backup/
 * basebackup.c) and its documentation asks: contents of transient directories, server-private
 * files, temporary files, temporary relations, and every fork but the init fork of unlogged
 * relations (restore recreates them empty from the init fork). Paths are relative to the data
 * directory, with '/' separators.
 */
public final class ExclusionRules {

  public static final String PG_CONTROL = "global/pg_control";

  /** Directories kept (empty) whose contents are never backed up. */
  private static final Set<String> CONTENTS_EXCLUDED = Set.of(
      "pg_wal", "pg_stat_tmp", "pg_replslot", "pg_dynshmem", "pg_notify", "pg_serial", "pg_snapshots", "pg_subtrans");

  /** Top-level files that belong to the running server or to backup and recovery itself. */
  private static final Set<String> TOP_LEVEL_FILES_EXCLUDED = Set.of(
      "postmaster.pid", "postmaster.opts", "postgresql.auto.conf.tmp", "current_logfiles.tmp",
      "backup_label", "backup_label.old", "tablespace_map", "backup_manifest", "backup_manifest.tmp",
      "recovery.signal", "standby.signal");

  private static final Pattern DATABASE_DIR = Pattern.compile("base/\\d+|pg_tblspc/\\d+/PG_[^/]+/\\d+");
  /** relfilenode, optional fork, optional segment: 16384, 16384_fsm, 16384.2, 16384_init. */
  private static final Pattern RELATION = Pattern.compile("(\\d+)(?:_(fsm|vm|init))?(?:\\.\\d+)?");
  /** Temporary relations: t&lt;backend&gt;_&lt;relfilenode&gt;[_fork][.segment]. */
  private static final Pattern TEMP_RELATION = Pattern.compile("t\\d+_\\d+(?:_(?:fsm|vm|init))?(?:\\.\\d+)?");

  private ExclusionRules() {}

  /** A directory whose contents are left out (the directory itself is kept). */
  public static boolean skipsContents(String dir) {
    return CONTENTS_EXCLUDED.contains(dir);
  }

  /** pg_wal keeps its subdirectories (archive_status, summaries), empty. */
  public static boolean keepsEmptySubdirectories(String dir) {
    return dir.equals("pg_wal");
  }

  /**
   * A subdirectory of pg_wal left out altogether: Tidemark's own WAL spool (wal-fetch's segments
   * fetched ahead, wal-push's marks), which belongs to one server and one restore.
   */
  public static boolean excludesWalSubdirectory(String name) {
    return name.equals(WAL_SPOOL);
  }

  /** The spool's directory name in pg_wal (WalSpool.DEFAULT_DIRECTORY). */
  public static final String WAL_SPOOL = "tidemark-spool";

  /** A name left out wherever it appears: temporary files and directories, relcache init files. */
  public static boolean excludesName(String name) {
    return name.startsWith("pgsql_tmp") || name.startsWith("pg_internal.init");
  }

  public static boolean excludesTopLevelFile(String name) {
    return TOP_LEVEL_FILES_EXCLUDED.contains(name);
  }

  /** A directory holding one database's relation files. */
  public static boolean isDatabaseDirectory(String dir) {
    return DATABASE_DIR.matcher(dir).matches();
  }

  /** The relfilenode of an init fork file ({@code 16384_init}), or null for any other name. */
  public static String initForkOf(String name) {
    Matcher m = RELATION.matcher(name);
    return m.matches() && "init".equals(m.group(2)) ? m.group(1) : null;
  }

  /**
   * Whether a file in a database directory is left out: temporary relations, and the non-init
   * forks of a relation that has an init fork (an unlogged relation).
   *
   * @param unloggedRelations relfilenodes that have an init fork in the same directory
   */
  public static boolean excludesRelationFile(String name, Set<String> unloggedRelations) {
    if (TEMP_RELATION.matcher(name).matches()) {
      return true;
    }
    Matcher m = RELATION.matcher(name);
    return m.matches() && !"init".equals(m.group(2)) && unloggedRelations.contains(m.group(1));
  }

  /** The tablespace subdirectory of a server of this major version: PG_15_202209061. */
  public static boolean isTablespaceVersionDirectory(String name, int major) {
    return name.startsWith("PG_" + major + "_");
  }
}
