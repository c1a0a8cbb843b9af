package io.tidemark.activities.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a server log says about recovery, for messages that explain a failure. */
public final class ServerLog {

  private static final Pattern RESTORED = Pattern.compile("restored log file \"([0-9A-F]{24})\" from archive");
  private static final Pattern FATAL = Pattern.compile("(FATAL|PANIC):\\s+(.*)");
  private static final Pattern REDO_DONE = Pattern.compile("redo done at ([0-9A-F]+/[0-9A-F]+)");

  private final List<String> lines;

  private ServerLog(List<String> lines) {
    this.lines = lines;
  }

  public static ServerLog read(Path file) throws IOException {
    try {
      return new ServerLog(Files.readAllLines(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return new ServerLog(List.of());
    }
  }

  /** The last WAL segment restored from the archive, or null. */
  public String lastRestoredSegment() {
    return last(RESTORED, 1);
  }

  /** The last FATAL or PANIC message, or null. */
  public String lastFatal() {
    return last(FATAL, 2);
  }

  public String redoDoneAt() {
    return last(REDO_DONE, 1);
  }

  public boolean contains(String text) {
    return lines.stream().anyMatch(l -> l.contains(text));
  }

  public String tail(int count) {
    return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
  }

  private String last(Pattern pattern, int group) {
    for (int i = lines.size() - 1; i >= 0; i--) {
      Matcher m = pattern.matcher(lines.get(i));
      if (m.find()) {
        return m.group(group);
      }
    }
    return null;
  }
}
