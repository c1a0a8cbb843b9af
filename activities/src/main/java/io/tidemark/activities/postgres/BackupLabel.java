package io.tidemark.activities.postgres;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The parts of a backup_label file Tidemark reads. */
public record BackupLabel(String startWalLocation, String startWalFile, int startTimeline, String label) {

  private static final Pattern START_WAL = Pattern.compile("^START WAL LOCATION: (\\S+) \\(file (\\S+)\\)$", Pattern.MULTILINE);
  private static final Pattern TIMELINE = Pattern.compile("^START TIMELINE: (\\d+)$", Pattern.MULTILINE);
  private static final Pattern LABEL = Pattern.compile("^LABEL: (.*)$", Pattern.MULTILINE);

  public static BackupLabel parse(byte[] content) {
    String text = new String(content, StandardCharsets.UTF_8);
    Matcher wal = START_WAL.matcher(text);
    Matcher timeline = TIMELINE.matcher(text);
    if (!wal.find() || !timeline.find()) {
      throw new IllegalArgumentException("not a backup_label: " + text.lines().findFirst().orElse("(empty)"));
    }
    Matcher label = LABEL.matcher(text);
    return new BackupLabel(wal.group(1), wal.group(2), Integer.parseInt(timeline.group(1)),
        label.find() ? label.group(1) : null);
  }
}
