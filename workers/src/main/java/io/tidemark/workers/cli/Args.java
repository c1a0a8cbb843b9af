package io.tidemark.workers.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command-line arguments: {@code --name value}, {@code --name=value}, {@code --flag} and
 * positional words. Each command declares the options it takes; anything else is an error that
 * names the option and lists the valid ones.
 */
public final class Args {

  private final Map<String, List<String>> options = new HashMap<>();
  private final Set<String> flags = new HashSet<>();
  private final List<String> positional = new ArrayList<>();

  private Args() {}

  /**
   * @param valued options that take a value
   * @param flagNames options that take none
   */
  public static Args parse(List<String> words, Set<String> valued, Set<String> flagNames) {
    Args args = new Args();
    for (int i = 0; i < words.size(); i++) {
      String w = words.get(i);
      if (w.equals("--")) {
        args.positional.addAll(words.subList(i + 1, words.size()));
        break;
      }
      if (!w.startsWith("--") || w.length() == 2) {
        args.positional.add(w);
        continue;
      }
      String name = w.substring(2);
      String value = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      if (flagNames.contains(name)) {
        if (value != null) {
          throw new CliException("option --" + name + " takes no value");
        }
        args.flags.add(name);
      } else if (valued.contains(name)) {
        if (value == null) {
          if (i + 1 >= words.size()) {
            throw new CliException("option --" + name + " needs a value");
          }
          value = words.get(++i);
        }
        args.options.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
      } else {
        List<String> known = new ArrayList<>();
        valued.forEach(o -> known.add("--" + o));
        flagNames.forEach(f -> known.add("--" + f));
        known.sort(null);
        throw new CliException("unknown option --" + name + "; valid options: " + String.join(", ", known));
      }
    }
    return args;
  }

  public String get(String name) {
    List<String> values = options.get(name);
    return values == null ? null : values.get(values.size() - 1);
  }

  public String get(String name, String fallback) {
    String v = get(name);
    return v == null ? fallback : v;
  }

  public String require(String name) {
    String v = get(name);
    if (v == null) {
      throw new CliException("option --" + name + " is required");
    }
    return v;
  }

  public List<String> all(String name) {
    return options.getOrDefault(name, List.of());
  }

  public Integer integer(String name) {
    String v = get(name);
    if (v == null) {
      return null;
    }
    try {
      return Integer.valueOf(v);
    } catch (NumberFormatException e) {
      throw new CliException("option --" + name + " takes a whole number, not '" + v + "'");
    }
  }

  public boolean flag(String name) {
    return flags.contains(name);
  }

  public List<String> positional() {
    return positional;
  }
}
