package io.tidemark.activities.validate;

import io.tidemark.workflows.model.Lsn;
import java.util.ArrayList;
import java.util.List;

/**
 * A timeline history file: one line per ancestor, "parent-timeline switch-point reason", oldest
 * first. The last line says where this timeline branched off its parent.
 */
record TimelineHistory(List<Integer> ancestors, Lsn branchPoint) {

  static TimelineHistory parse(String text) {
    List<Integer> ancestors = new ArrayList<>();
    Lsn branch = Lsn.ZERO;
    for (String line : text.split("\n")) {
      String trimmed = line.trim();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      String[] fields = trimmed.split("\\s+");
      if (fields.length < 2) {
        continue;
      }
      ancestors.add(Integer.parseInt(fields[0]));
      branch = Lsn.parse(fields[1]);
    }
    return new TimelineHistory(ancestors, branch);
  }

  boolean descendsFrom(int timeline) {
    return ancestors.contains(timeline);
  }
}
