package io.wasmplane.operator.concurrent;

import java.util.concurrent.ThreadFactory;

/** Names the operator's background threads and makes them daemons, so none keeps the JVM up. */
public final class DaemonThreads {
  private DaemonThreads() {}

  public static ThreadFactory named(String name) {
    return r -> {
      Thread thread = new Thread(r, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
