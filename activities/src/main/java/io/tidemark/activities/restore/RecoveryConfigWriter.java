package io.tidemark.activities.restore;

import io.tidemark.activities.postgres.RecoverySettings;
import io.tidemark.activities.repository.Repository;
import io.tidemark.activities.repository.RepositoryLayout;
import io.tidemark.workflows.activities.NodeRestoreActivities.RecoveryConfigInput;
import io.tidemark.workflows.restore.RecoveryTarget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * WriteRecoveryConfig: backup_label and tablespace_map exactly as pg_backup_stop returned them,
 * the recovery settings in postgresql.auto.conf (restore_command through tidemark wal-fetch, the
 * target, the port), and recovery.signal. Every file is synced.
 */
final class RecoveryConfigWriter {

  private final Repository repo;
  private final String tidemarkCommand;

  /** @param tidemarkCommand how PostgreSQL runs tidemark on this host, --config included */
  RecoveryConfigWriter(Repository repo, String tidemarkCommand) {
    this.repo = repo;
    this.tidemarkCommand = tidemarkCommand;
  }

  void write(RecoveryConfigInput in) throws IOException {
    Path dir = Path.of(in.dataDirectory()).normalize();
    String nodePrefix = RepositoryLayout.node(in.cluster(), in.backupId(), in.node());
    writeSynced(dir.resolve("backup_label"), repo.readAllBytes(nodePrefix + RepositoryLayout.backupLabel(in.session())));
    String mapKey = nodePrefix + RepositoryLayout.tablespaceMap(in.session());
    if (repo.exists(mapKey)) {
      writeSynced(dir.resolve("tablespace_map"), repo.readAllBytes(mapKey));
    }
    // As pg_basebackup leaves it: pg_verifybackup can check the restored files before they are started.
    String manifestKey = nodePrefix + RepositoryLayout.manifest(in.session());
    if (repo.exists(manifestKey)) {
      writeSynced(dir.resolve("backup_manifest"), repo.readAllBytes(manifestKey));
    }
    Path auto = dir.resolve("postgresql.auto.conf");
    String existing;
    try {
      existing = Files.readString(auto, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      existing = "";
    }
    String updated = RecoverySettings.apply(existing, settings(in),
        "Recovery settings of Tidemark restore " + in.restoreId() + " (backup " + in.backupId() + ")");
    writeSynced(auto, updated.getBytes(StandardCharsets.UTF_8));
    writeSynced(dir.resolve("recovery.signal"), new byte[0]);
    if (in.last()) {
      RestoreMarker.remove(dir);
    }
    DataDirectories.sync(dir);
  }

  Map<String, String> settings(RecoveryConfigInput in) {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("restore_command", tidemarkCommand + " wal-fetch --cluster " + in.cluster() + " --node " + in.node() + " %f %p");
    RecoveryTarget t = in.target();
    switch (t.kind()) {
      case "immediate":
        s.put("recovery_target", "immediate");
        break;
      case "time":
        s.put("recovery_target_time", t.time());
        break;
      case "xid":
        s.put("recovery_target_xid", t.xid());
        break;
      case "lsn":
        s.put("recovery_target_lsn", t.lsn());
        break;
      case "name":
        s.put("recovery_target_name", t.name());
        break;
      default:
        break; // latest: no target, replay to the end of the archive
    }
    if (!t.kind().equals("latest")) {
      s.put("recovery_target_inclusive", in.inclusive() ? "on" : "off");
      s.put("recovery_target_action", in.action());
    }
    s.put("recovery_target_timeline", in.timeline());
    s.put("port", String.valueOf(in.port()));
    if (in.archive().equals("off")) {
      s.put("archive_mode", "off");
    }
    s.putAll(in.settings());
    return s;
  }

  /** Written to a temporary file, synced, renamed into place. */
  private static void writeSynced(Path target, byte[] content) throws IOException {
    Path temp = target.resolveSibling("." + target.getFileName() + ".tidemark-tmp");
    Files.write(temp, content);
    DataDirectories.sync(temp);
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
