package io.wasmplane.operator.config;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a directory of WasmPlugin and Secret YAML files and hands every changed reading of it to
 * a consumer, after a short debounce so an editor's save (or a burst of files) is read once. An
 * invalid edit keeps the last valid version of what the file held (see {@link LastValidVersions}).
 */
public final class DirectoryConfigSource implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DirectoryConfigSource.class);
  private static final Duration DEBOUNCE = Duration.ofMillis(150);

  private final Path dir;
  private final Consumer<ConfigSnapshot> consumer;
  private final WatchService watcher;
  private final Thread thread;
  private DirectoryReading accepted = DirectoryReading.EMPTY;
  private ConfigSnapshot last;

  public DirectoryConfigSource(Path dir, Consumer<ConfigSnapshot> consumer) {
    this.dir = dir.toAbsolutePath().normalize();
    this.consumer = consumer;
    try {
      this.watcher = dir.getFileSystem().newWatchService();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.thread = new Thread(this::watch, "config-dir-watcher");
    this.thread.setDaemon(true);
  }

  /** Reads the directory once, delivers the result, then keeps watching. */
  public DirectoryConfigSource start() {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("--config-dir " + dir + " is not a directory");
    }
    registerAll();
    reload();
    thread.start();
    return this;
  }

  private void watch() {
    try {
      while (true) {
        WatchKey key = watcher.take();
        boolean changed = drain(key);
        WatchKey more;
        while ((more = watcher.poll(DEBOUNCE.toMillis(), TimeUnit.MILLISECONDS)) != null) {
          changed |= drain(more);
        }
        if (changed) {
          registerAll();
          reload();
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // stopped
    }
  }

  private boolean drain(WatchKey key) {
    boolean relevant = !key.pollEvents().isEmpty();
    key.reset();
    return relevant;
  }

  private void registerAll() {
    try (Stream<Path> dirs = Files.walk(dir)) {
      for (Path d : dirs.filter(Files::isDirectory).toList()) {
        d.register(watcher, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY);
      }
    } catch (IOException e) {
      LOG.warn("cannot watch {}: {}", dir, e.getMessage());
    }
  }

  private synchronized void reload() {
    accepted = LastValidVersions.merge(accepted, DirectoryReader.read(dir));
    ConfigSnapshot snapshot = accepted.snapshot();
    if (Objects.equals(snapshot, last)) {
      return;
    }
    if (last == null || !snapshot.problems().equals(last.problems())) {
      for (ConfigProblem problem : snapshot.problems()) {
        LOG.warn("config problem: {}", problem);
      }
    }
    LOG.info(
        "read {}: {} plugins, {} secrets, {} problems",
        dir,
        snapshot.plugins().size(),
        snapshot.secrets().size(),
        snapshot.problems().size());
    last = snapshot;
    try {
      consumer.accept(snapshot);
    } catch (RuntimeException e) {
      LOG.error("applying the configuration from {} failed", dir, e);
    }
  }

  @Override
  public void close() throws IOException {
    watcher.close();
    thread.interrupt();
  }
}
