package io.tidemark.activities.retention;

import io.tidemark.activities.config.RetentionSettings;
import io.tidemark.workflows.activities.RetentionActivities.Expiry;
import io.tidemark.workflows.activities.RetentionActivities.RetentionPlan;
import io.tidemark.workflows.activities.RetentionActivities.WalCutoff;
import io.tidemark.workflows.model.BackupRecord;
import io.tidemark.workflows.model.NodeBackupRecord;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which backups a policy keeps, as a pure function of the records, the time and the backups in
 * use. A completed backup is kept if any rule keeps it: the newest {@code full}, the ones a
 * recovery window needs, those a running restore reads. Failed backups and folders without a
 * record are expired once a completed backup is newer: nothing can be restored from them. WAL is
 * kept, per node, from the oldest kept backup's first segment, so every moment from there on stays
 * restorable.
 */
public final class RetentionPolicy {

  static final String UNRECORDED = "unrecorded";

  private final RetentionSettings settings;

  public RetentionPolicy(RetentionSettings settings) {
    if (!settings.isSet()) {
      throw new IllegalArgumentException("a retention policy needs full or recoveryWindowDays");
    }
    this.settings = settings;
  }

  public String describe() {
    List<String> rules = new ArrayList<>();
    if (settings.full() != null) {
      rules.add("keep the newest " + settings.full() + " completed backup" + (settings.full() == 1 ? "" : "s"));
    }
    if (settings.recoveryWindowDays() != null) {
      rules.add("keep what restores to any moment of the last " + settings.recoveryWindowDays() + " day"
          + (settings.recoveryWindowDays() == 1 ? "" : "s"));
    }
    return String.join(" and ", rules);
  }

  /**
   * @param records every backup record of the cluster, in any order
   * @param unrecorded backup folders without a record
   * @param inUse backup ids that running restores read, with the restore's workflow id
   */
  public RetentionPlan plan(String cluster, List<BackupRecord> records, List<String> unrecorded,
      Map<String, String> inUse, Instant now) {
    List<BackupRecord> sorted = records.stream().sorted(Comparator.comparing(BackupRecord::id)).toList();
    List<BackupRecord> completed = sorted.stream().filter(BackupRecord::isCompleted).toList();
    Set<String> keep = new LinkedHashSet<>();
    if (settings.full() != null) {
      completed.subList(Math.max(0, completed.size() - settings.full()), completed.size())
          .forEach(r -> keep.add(r.id()));
    }
    if (settings.recoveryWindowDays() != null) {
      Instant windowStart = now.minus(Duration.ofDays(settings.recoveryWindowDays()));
      BackupRecord base = null;
      for (BackupRecord r : completed) {
        if (stopTime(r).isAfter(windowStart)) {
          keep.add(r.id());
        } else {
          base = r;
        }
      }
      if (base != null) {
        keep.add(base.id());
      }
    }
    String newestCompleted = completed.isEmpty() ? null : completed.get(completed.size() - 1).id();
    List<String> kept = new ArrayList<>();
    List<Expiry> expire = new ArrayList<>();
    List<BackupRecord> keptCompleted = new ArrayList<>();
    for (BackupRecord r : sorted) {
      if (r.isCompleted()) {
        if (keep.contains(r.id()) || inUse.containsKey(r.id())) {
          kept.add(r.id());
          keptCompleted.add(r);
        } else {
          expire.add(new Expiry(r.id(), r.status(), whyExpired()));
        }
      } else if (newestCompleted != null && r.id().compareTo(newestCompleted) < 0) {
        expire.add(new Expiry(r.id(), r.status(), "failed, and backup " + newestCompleted + " completed after it"));
      } else {
        kept.add(r.id());
      }
    }
    for (String folder : unrecorded.stream().sorted().toList()) {
      if (newestCompleted != null && folder.compareTo(newestCompleted) < 0) {
        expire.add(new Expiry(folder, UNRECORDED, "never recorded (a backup that did not end), and backup "
            + newestCompleted + " completed after it"));
      }
    }
    expire.sort(Comparator.comparing(Expiry::backupId));
    return new RetentionPlan(cluster, describe(), kept, expire, walCutoffs(keptCompleted));
  }

  /** Why a completed backup goes: every rule let it go. */
  private String whyExpired() {
    List<String> reasons = new ArrayList<>();
    if (settings.full() != null) {
      reasons.add("not among the newest " + settings.full());
    }
    if (settings.recoveryWindowDays() != null) {
      reasons.add("not needed to restore within the last " + settings.recoveryWindowDays() + " days");
    }
    return String.join(", ", reasons);
  }

  /** Per node, the earliest first segment among the kept backups (segment positions compare as text). */
  private static List<WalCutoff> walCutoffs(List<BackupRecord> kept) {
    Map<String, String> first = new LinkedHashMap<>();
    for (BackupRecord r : kept) {
      for (NodeBackupRecord n : r.nodes()) {
        if (n.startWal() != null) {
          first.merge(n.node(), n.startWal(), (a, b) -> WalPositions.compare(a, b) <= 0 ? a : b);
        }
      }
    }
    return first.entrySet().stream().map(e -> new WalCutoff(e.getKey(), e.getValue())).toList();
  }

  private static Instant stopTime(BackupRecord r) {
    return OffsetDateTime.parse(r.stopTime()).toInstant();
  }
}
