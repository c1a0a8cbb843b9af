package io.tidemark.activities.runtime;

import java.util.concurrent.ThreadFactory;

/** Threads of Tidemark's own executors: named, for thread dumps, and daemons, so none holds the JVM up. */
public final class DaemonThreads {

  private DaemonThreads() {}

  public static ThreadFactory named(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
