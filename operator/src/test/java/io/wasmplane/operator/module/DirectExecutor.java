package io.wasmplane.operator.module;

/** Runs submitted work at once on the caller's thread, so tests see fetches finish in order. */
final class DirectExecutor extends TestExecutor {
  @Override
  public void execute(Runnable command) {
    command.run();
  }
}
