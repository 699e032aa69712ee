package io.wasmplane.testbed;

/** What a finished command printed and how it exited. */
public record CommandResult(int exitCode, String stdout, String stderr) {
  public boolean ok() {
    return exitCode == 0;
  }

  /** Fails with the command's output unless it exited 0. */
  public CommandResult orThrow() {
    if (!ok()) {
      throw new IllegalStateException(
          "command exited " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr);
    }
    return this;
  }
}
