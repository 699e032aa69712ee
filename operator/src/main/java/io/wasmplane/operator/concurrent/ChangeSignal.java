package io.wasmplane.operator.concurrent;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Says "something changed" from one part to the parts that react to it. A part that fires gets the
 * signal in its constructor; a part that reacts subscribes once it exists, so no two parts need
 * each other to be built.
 */
public final class ChangeSignal {
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  /** Runs {@code listener} on every later {@link #fire()}. */
  public void subscribe(Runnable listener) {
    listeners.add(listener);
  }

  public void fire() {
    listeners.forEach(Runnable::run);
  }
}
