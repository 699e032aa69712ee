package io.wasmplane.operator.module;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModuleCacheTest {
  @TempDir Path dir;

  private static byte[] module(int size, int seed) {
    byte[] bytes = new byte[size];
    bytes[0] = 0;
    bytes[1] = 'a';
    bytes[2] = 's';
    bytes[3] = 'm';
    for (int i = 4; i < size; i++) {
      bytes[i] = (byte) (seed * 31 + i);
    }
    return bytes;
  }

  private void age(String sha256, long secondsAgo) throws Exception {
    Files.setLastModifiedTime(
        dir.resolve("sha256").resolve(sha256),
        FileTime.from(Instant.now().minusSeconds(secondsAgo)));
  }

  @Test
  void evictsLeastRecentlyUsedFirstButNeverAModuleInUse() throws Exception {
    ModuleCache cache = new ModuleCache(dir, 2500);
    String oldestInUse = cache.put(module(1000, 1));
    String old = cache.put(module(1000, 2));
    String recent = cache.put(module(1000, 3));
    age(oldestInUse, 300);
    age(old, 200);
    age(recent, 100);

    assertThat(cache.evict(Set.of(oldestInUse))).containsExactly(old);
    assertThat(cache.get(oldestInUse)).isPresent();
    assertThat(cache.get(recent)).isPresent();
    assertThat(cache.get(old)).isEmpty();
  }

  @Test
  void keepsModulesInUseEvenWhenTheyAloneExceedTheBound() {
    ModuleCache cache = new ModuleCache(dir, 10);
    String a = cache.put(module(100, 1));
    String b = cache.put(module(100, 2));

    assertThat(cache.evict(Set.of(a, b))).isEmpty();
    assertThat(cache.size()).isEqualTo(200);
  }

  @Test
  void remembersResolvedUrlsAcrossInstancesWhileTheModuleIsCached() {
    ModuleCache first = new ModuleCache(dir, 1 << 20);
    String digest = first.put(module(64, 7));
    first.remember(
        "oci://r.example/p:1", new ModuleCache.Resolved(digest, "sha256:" + "b".repeat(64)));

    ModuleCache second = new ModuleCache(dir, 1 << 20);
    assertThat(second.resolved("oci://r.example/p:1"))
        .contains(new ModuleCache.Resolved(digest, "sha256:" + "b".repeat(64)));
    assertThat(second.resolved("oci://r.example/other:1")).isEmpty();
  }

  @Test
  void onlyModulesPulledWithoutCredentialsArePublicAcrossInstancesUntilEvicted() throws Exception {
    ModuleCache first = new ModuleCache(dir, 1500);
    String open = first.put(module(1000, 1));
    String pulledWithCredentials = first.put(module(1000, 2));
    first.markPulledAnonymously(open);

    ModuleCache second = new ModuleCache(dir, 1500);
    assertThat(second.pulledAnonymously(open)).isTrue();
    assertThat(second.pulledAnonymously(pulledWithCredentials))
        .as("provenance unknown: private")
        .isFalse();

    age(open, 300);
    assertThat(second.evict(Set.of(pulledWithCredentials))).containsExactly(open);
    assertThat(new ModuleCache(dir, 1500).pulledAnonymously(open)).isFalse();
  }
}
