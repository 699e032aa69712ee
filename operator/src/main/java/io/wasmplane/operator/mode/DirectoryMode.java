package io.wasmplane.operator.mode;

import io.wasmplane.operator.config.ConfigSnapshot;
import io.wasmplane.operator.config.DirectoryConfigSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Directory mode: WasmPlugin and Secret YAML files in a watched directory, nothing else. */
public final class DirectoryMode implements ConfigMode {
  private final DirectoryConfigSource source;

  public DirectoryMode(Path dir, Consumer<ConfigSnapshot> consumer) {
    this.source = new DirectoryConfigSource(dir, consumer);
  }

  @Override
  public void start() {
    source.start();
  }

  @Override
  public void close() throws IOException {
    source.close();
  }
}
