package io.tidemark.workers.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A description of the machine and the software measured, for the report. */
final class Machine {

  private Machine() {}

  static String describe(Path work, Path pgBin) {
    return String.join("\n", List.of(
        "- CPU: " + Runtime.getRuntime().availableProcessors() + " cores, " + firstValue("/proc/cpuinfo", "model name"),
        "- RAM: " + (kib(firstValue("/proc/meminfo", "MemTotal")) >> 20) + " GiB",
        "- Disk (work directory " + work + "): " + output("df", "-hT", work.toString()).lines().skip(1).findFirst()
            .orElse("?").replaceAll("\\s+", " "),
        "- Kernel: " + output("uname", "-sr").trim(),
        "- Java: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
        "- PostgreSQL: " + output(pgBin.resolve("postgres").toString(), "--version").trim() + " (" + pgBin + ")",
        "- pgBackRest: " + output("pgbackrest", "version").trim()));
  }

  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (java.io.IOException e) {
      return "?";
    }
  }

  private static String firstValue(String file, String key) {
    try {
      return Files.readAllLines(Path.of(file)).stream().filter(l -> l.startsWith(key))
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("?");
    } catch (java.io.IOException e) {
      return "?";
    }
  }

  private static long kib(String value) {
    return Long.parseLong(value.replaceAll("[^0-9]", ""));
  }

  private static String output(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      p.waitFor();
      return out;
    } catch (java.io.IOException e) {
      return "?";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "?";
    }
  }
}
