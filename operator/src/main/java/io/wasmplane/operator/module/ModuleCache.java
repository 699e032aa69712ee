package io.wasmplane.operator.module;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Module bytes on disk, addressed by their SHA-256, with a size bound and least-recently-used
 * eviction that never removes a module a live plugin uses. It also remembers which module a url
 * resolved to, so that after a restart nothing is pulled again that need not be, and which modules
 * were ever pulled without credentials; any other module, one found on disk included, is private.
 */
public final class ModuleCache implements io.wasmplane.xds.ModuleStore {
  private static final Logger LOG = LoggerFactory.getLogger(ModuleCache.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path modules;
  private final Path refs;
  private final Path anonymous;
  private final Set<String> pulledAnonymously = ConcurrentHashMap.newKeySet();
  private final long maxBytes;

  /**
   * What a url resolved to when it was last pulled.
   *
   * @param moduleDigest hex SHA-256 of the module bytes
   * @param imageDigest OCI manifest digest, or null
   */
  public record Resolved(String moduleDigest, String imageDigest) {}

  public ModuleCache(Path dir, long maxBytes) {
    this.modules = dir.resolve("sha256");
    this.refs = dir.resolve("refs");
    this.anonymous = dir.resolve("anonymous");
    this.maxBytes = maxBytes;
    try {
      Files.createDirectories(modules);
      Files.createDirectories(refs);
      Files.createDirectories(anonymous);
      try (Stream<Path> marks = Files.list(anonymous)) {
        marks
            .map(f -> f.getFileName().toString())
            .filter(name -> name.matches("[a-f0-9]{64}"))
            .forEach(pulledAnonymously::add);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create module cache in " + dir, e);
    }
  }

  /** The file holding module {@code sha256}, if cached; marks it recently used. */
  public Optional<Path> get(String sha256) {
    if (!sha256.matches("[a-f0-9]{64}")) {
      return Optional.empty();
    }
    Path file = modules.resolve(sha256);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    touch(file);
    return Optional.of(file);
  }

  @Override
  public Optional<Path> module(String sha256) {
    return get(sha256);
  }

  /** Stores module bytes and returns their hex SHA-256. */
  public String put(byte[] bytes) {
    String sha256 = WasmBytes.sha256Hex(bytes);
    Path file = modules.resolve(sha256);
    try {
      if (!Files.exists(file)) {
        Path temp = Files.createTempFile(modules, ".incoming-", ".tmp");
        Files.write(temp, bytes);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
      }
      touch(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write module " + sha256, e);
    }
    return sha256;
  }

  /** Remembers that module {@code sha256} was pulled without credentials, so it is public. */
  public void markPulledAnonymously(String sha256) {
    if (pulledAnonymously.add(sha256)) {
      try {
        Files.write(anonymous.resolve(sha256), new byte[0]);
      } catch (IOException e) {
        LOG.warn("cannot remember that module {} is public: {}", sha256, e.getMessage());
      }
    }
  }

  /** Whether module {@code sha256} was ever pulled without credentials. */
  public boolean pulledAnonymously(String sha256) {
    return pulledAnonymously.contains(sha256);
  }

  /** Remembers that {@code url} resolved to {@code resolved}. */
  public void remember(String url, Resolved resolved) {
    try {
      Path file = refs.resolve(WasmBytes.sha256Hex(url.getBytes(StandardCharsets.UTF_8)) + ".json");
      Path temp = Files.createTempFile(refs, ".incoming-", ".tmp");
      Files.writeString(
          temp,
          JSON.writeValueAsString(
              JSON.createObjectNode()
                  .put("url", url)
                  .put("moduleDigest", resolved.moduleDigest())
                  .put("imageDigest", resolved.imageDigest())));
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      LOG.warn("cannot remember what {} resolved to: {}", url, e.getMessage());
    }
  }

  /** What {@code url} last resolved to, if its module is still cached. */
  public Optional<Resolved> resolved(String url) {
    Path file = refs.resolve(WasmBytes.sha256Hex(url.getBytes(StandardCharsets.UTF_8)) + ".json");
    try {
      if (!Files.exists(file)) {
        return Optional.empty();
      }
      JsonNode node = JSON.readTree(file.toFile());
      String digest = node.path("moduleDigest").asText();
      if (get(digest).isEmpty()) {
        return Optional.empty();
      }
      String image =
          node.path("imageDigest").isTextual() ? node.path("imageDigest").asText() : null;
      return Optional.of(new Resolved(digest, image));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Bytes of all cached modules. */
  public long size() {
    return entries().stream().mapToLong(Entry::size).sum();
  }

  /**
   * Removes least-recently-used modules until the cache fits its bound, never touching {@code
   * inUse}. Returns the digests removed.
   */
  public List<String> evict(Set<String> inUse) {
    List<Entry> entries = new ArrayList<>(entries());
    long total = entries.stream().mapToLong(Entry::size).sum();
    entries.sort(Comparator.comparing(Entry::lastUsed));
    List<String> removed = new ArrayList<>();
    for (Entry entry : entries) {
      if (total <= maxBytes) {
        break;
      }
      if (inUse.contains(entry.sha256())) {
        continue;
      }
      try {
        Files.deleteIfExists(modules.resolve(entry.sha256()));
        pulledAnonymously.remove(entry.sha256());
        Files.deleteIfExists(anonymous.resolve(entry.sha256()));
        total -= entry.size();
        removed.add(entry.sha256());
      } catch (IOException e) {
        LOG.warn("cannot evict module {}: {}", entry.sha256(), e.getMessage());
      }
    }
    if (!removed.isEmpty()) {
      LOG.info("evicted {} modules from the cache, {} bytes remain", removed.size(), total);
    }
    return removed;
  }

  private record Entry(String sha256, long size, Instant lastUsed) {}

  private List<Entry> entries() {
    try (Stream<Path> files = Files.list(modules)) {
      List<Entry> entries = new ArrayList<>();
      for (Path file :
          files.filter(f -> f.getFileName().toString().matches("[a-f0-9]{64}")).toList()) {
        try {
          entries.add(
              new Entry(
                  file.getFileName().toString(),
                  Files.size(file),
                  Files.getLastModifiedTime(file).toInstant()));
        } catch (IOException e) {
          // removed meanwhile
        }
      }
      return entries;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void touch(Path file) {
    try {
      Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
    } catch (IOException e) {
      // recency is a hint
    }
  }
}
