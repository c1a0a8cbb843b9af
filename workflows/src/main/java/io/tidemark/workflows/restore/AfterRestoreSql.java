package io.tidemark.workflows.restore;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cluster's afterRestore statements with each node's new place filled in: {@code ${seg1.host}},
 * {@code ${seg1.port}} and {@code ${seg1.dataDirectory}} of the restored node, {@code ${seg1.sourceHost}}
 * and {@code ${seg1.sourcePort}} of the node backed up (what a node catalog such as Citus's
 * pg_dist_node still holds).
 */
public final class AfterRestoreSql {

  static final List<String> FIELDS = List.of("host", "port", "dataDirectory", "sourceHost", "sourcePort");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-z0-9_-]+)\\.([A-Za-z]+)}");

  private AfterRestoreSql() {}

  /**
   * @throws IllegalArgumentException naming the first placeholder that names no node or no field
   */
  public static void check(List<String> statements, List<String> nodes) {
    for (String statement : statements) {
      Matcher m = PLACEHOLDER.matcher(statement);
      while (m.find()) {
        if (!nodes.contains(m.group(1)) || !FIELDS.contains(m.group(2))) {
          throw new IllegalArgumentException("afterRestore statement '" + statement + "' uses " + m.group()
              + "; placeholders are ${NODE.FIELD} with NODE one of " + nodes + " and FIELD one of " + FIELDS);
        }
      }
    }
  }

  /** The values of the source's fields, per node: what ResolveRestore reads from the configuration. */
  public static Map<String, String> sourceValues(String node, String host, int port) {
    Map<String, String> v = new LinkedHashMap<>();
    v.put(node + ".sourceHost", host);
    v.put(node + ".sourcePort", String.valueOf(port));
    return v;
  }

  static Map<String, String> targetValues(NodeTarget target) {
    Map<String, String> v = new LinkedHashMap<>();
    v.put(target.node() + ".host", target.hostOrDefault());
    v.put(target.node() + ".port", String.valueOf(target.port()));
    v.put(target.node() + ".dataDirectory", target.dataDirectory());
    return v;
  }

  static List<String> substitute(List<String> statements, Map<String, String> values) {
    List<String> out = new ArrayList<>();
    for (String statement : statements) {
      Matcher m = PLACEHOLDER.matcher(statement);
      StringBuilder s = new StringBuilder();
      while (m.find()) {
        String value = values.get(m.group(1) + "." + m.group(2));
        if (value == null) {
          throw new IllegalArgumentException("no value for " + m.group() + "; known: " + new TreeSet<>(values.keySet()));
        }
        m.appendReplacement(s, Matcher.quoteReplacement(value));
      }
      m.appendTail(s);
      out.add(s.toString());
    }
    return out;
  }
}
