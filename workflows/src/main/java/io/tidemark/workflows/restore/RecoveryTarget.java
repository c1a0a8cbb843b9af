package io.tidemark.workflows.restore;

import io.tidemark.workflows.json.ExternalInput;
import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where recovery stops: exactly one of the fields is set.
 *
 * @param immediate stop as soon as the backup is consistent (its end)
 * @param latest replay every archived WAL file, then promote
 * @param time a timestamp with time zone, as PostgreSQL reads it: {@code 2026-11-21 10:30:00+00}
 * @param xid a transaction id
 * @param lsn a WAL location: {@code 0/5000100}
 * @param name a restore point made with pg_create_restore_point
 */
@ExternalInput
public record RecoveryTarget(Boolean immediate, Boolean latest, String time, String xid, String lsn, String name) {

  private static final Pattern XID = Pattern.compile("\\d{1,20}");
  private static final Pattern LSN = Pattern.compile("[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8}");

  public static RecoveryTarget immediateTarget() {
    return new RecoveryTarget(true, null, null, null, null, null);
  }

  public static RecoveryTarget latestTarget() {
    return new RecoveryTarget(null, true, null, null, null, null);
  }

  public static RecoveryTarget atTime(String time) {
    return new RecoveryTarget(null, null, time, null, null, null);
  }

  public static RecoveryTarget atXid(String xid) {
    return new RecoveryTarget(null, null, null, xid, null, null);
  }

  public static RecoveryTarget atLsn(String lsn) {
    return new RecoveryTarget(null, null, null, null, lsn, null);
  }

  public static RecoveryTarget atName(String name) {
    return new RecoveryTarget(null, null, null, null, null, name);
  }

  /** Which kind of target this is: immediate, latest, time, xid, lsn or name. */
  @JsonIgnore
  public String kind() {
    return set().get(0);
  }

  private List<String> set() {
    List<String> set = new ArrayList<>();
    if (Boolean.TRUE.equals(immediate)) {
      set.add("immediate");
    }
    if (Boolean.TRUE.equals(latest)) {
      set.add("latest");
    }
    if (time != null) {
      set.add("time");
    }
    if (xid != null) {
      set.add("xid");
    }
    if (lsn != null) {
      set.add("lsn");
    }
    if (name != null) {
      set.add("name");
    }
    return set;
  }

  /** @throws IllegalArgumentException unless exactly one well-formed target is set */
  void validate() {
    List<String> set = set();
    if (set.size() != 1) {
      throw new IllegalArgumentException("field 'target' must set exactly one of immediate, latest, time, xid, lsn, name"
          + (set.isEmpty() ? "" : "; it sets " + set));
    }
    if (xid != null && !XID.matcher(xid).matches()) {
      throw new IllegalArgumentException("field 'target.xid' is '" + xid + "'; it must be a transaction id (digits)");
    }
    if (lsn != null && !LSN.matcher(lsn).matches()) {
      throw new IllegalArgumentException("field 'target.lsn' is '" + lsn + "'; it must be a WAL location such as 0/5000100");
    }
    if (time != null && time.isBlank()) {
      throw new IllegalArgumentException("field 'target.time' is empty; give a timestamp such as 2026-11-21 10:30:00+00");
    }
    if (name != null && (name.isEmpty() || name.length() > 63)) {
      throw new IllegalArgumentException("field 'target.name' must be a restore point name of 1 to 63 characters");
    }
  }
}
