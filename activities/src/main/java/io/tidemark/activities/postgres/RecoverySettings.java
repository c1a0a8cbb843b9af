package io.tidemark.activities.postgres;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puts settings into a postgresql.auto.conf: earlier lines for the same settings, and every
 * recovery_target* line, are commented out (two recovery targets is a startup error since
 * PostgreSQL 12), then the new settings follow under a header.
 */
public final class RecoverySettings {

  private static final Pattern SETTING_LINE = Pattern.compile("^\\s*([A-Za-z_][A-Za-z0-9_.]*)\\s*=?.*$");

  private RecoverySettings() {}

  public static String apply(String existing, Map<String, String> settings, String header) {
    List<String> out = new ArrayList<>();
    for (String line : existing.split("\n", -1)) {
      Matcher m = SETTING_LINE.matcher(line);
      if (m.matches() && !line.trim().startsWith("#")) {
        String name = m.group(1).toLowerCase();
        if (name.startsWith("recovery_target") || settings.containsKey(name)) {
          out.add("# " + line + "   # replaced by Tidemark restore");
          continue;
        }
      }
      out.add(line);
    }
    while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
      out.remove(out.size() - 1);
    }
    StringBuilder s = new StringBuilder(String.join("\n", out));
    if (s.length() > 0) {
      s.append("\n");
    }
    s.append("# ").append(header).append("\n");
    settings.forEach((name, value) -> s.append(name).append(" = ").append(quote(value)).append("\n"));
    return s.toString();
  }

  /** A configuration value in single quotes, quotes and backslashes doubled. */
  public static String quote(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
  }
}
