package io.wasmplane.operator.module;

import io.wasmplane.crd.ImageReference;
import io.wasmplane.operator.module.SharingRule.Answer;
import io.wasmplane.operator.module.SharingRule.Verdict;
import io.wasmplane.operator.plugin.PluginRef;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks registries whether a credential, or an anonymous pull, may read an image, and remembers each
 * answer for as long as {@link SharingRule#lifetime} says. At most one check per credential and
 * image runs at a time; one that was not granted is asked again when its answer expires, while a
 * plugin waits on it. Credentials are known here only by a fingerprint.
 */
public final class RegistryChecks {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryChecks.class);

  /**
   * One credential and one image.
   *
   * @param credentials a SHA-256 fingerprint of the credentials, or empty for an anonymous pull
   * @param image the image, pinned to its manifest digest where known
   */
  public record CheckKey(String credentials, String image) {}

  private final ImageSource registry;
  private final FetchScheduler scheduler;
  private final Clock clock;
  private final Runnable onChange;
  private final Map<CheckKey, Verdict> verdicts = new HashMap<>();
  private final Set<CheckKey> running = new HashSet<>();
  private final Map<PluginRef, CheckKey> waiting = new HashMap<>();

  /**
   * @param registry asks the registry
   * @param scheduler runs the checks, a few per registry at a time
   * @param clock tells the time
   * @param onChange runs when an answer may change what a plugin gets
   */
  public RegistryChecks(
      ImageSource registry, FetchScheduler scheduler, Clock clock, Runnable onChange) {
    this.registry = registry;
    this.scheduler = scheduler;
    this.clock = clock;
    this.onChange = onChange;
  }

  /** The registry's last answer for {@code key}, fresh or not, or null. */
  public synchronized Verdict last(CheckKey key) {
    return verdicts.get(key);
  }

  /** Records that a pull with these credentials just read the image. */
  public synchronized void granted(CheckKey key) {
    verdicts.put(key, new Verdict(Answer.GRANTED, null, null, clock.instant()));
  }

  /** Says which check plugin {@code ref} waits on, or that it waits on none ({@code null}). */
  public synchronized void waiting(PluginRef ref, CheckKey key) {
    if (key == null) {
      waiting.remove(ref);
    } else {
      waiting.put(ref, key);
    }
  }

  /** Asks the registry about {@code key}, unless that is under way or its answer still holds. */
  public synchronized void start(
      CheckKey key, ImageReference image, RegistryCredentials credentials) {
    Verdict last = verdicts.get(key);
    if ((last == null || !last.freshAt(clock.instant())) && running.add(key)) {
      scheduler.submit(image.registry(), new Check(key, image, credentials));
    }
  }

  /** Forgets the plugins not in {@code live}, and answers that expired and nobody waits on. */
  public synchronized void retain(Set<PluginRef> live) {
    waiting.keySet().retainAll(live);
    Set<CheckKey> wanted = new HashSet<>(waiting.values());
    verdicts
        .entrySet()
        .removeIf(e -> !wanted.contains(e.getKey()) && !e.getValue().freshAt(clock.instant()));
  }

  /** One credential's check of one image, asked again while it is not granted and wanted. */
  private final class Check implements Runnable {
    private final CheckKey key;
    private final ImageReference image;
    private final RegistryCredentials credentials;
    private int failures;

    Check(CheckKey key, ImageReference image, RegistryCredentials credentials) {
      this.key = key;
      this.image = image;
      this.credentials = credentials;
    }

    @Override
    public void run() {
      synchronized (RegistryChecks.this) {
        if (!waiting.containsValue(key)) {
          running.remove(key);
          return;
        }
      }
      Verdict verdict = ask();
      Verdict previous;
      synchronized (RegistryChecks.this) {
        previous = verdicts.put(key, verdict);
        if (verdict.answer() == Answer.GRANTED) {
          running.remove(key);
        } else {
          failures = verdict.answer() == Answer.UNKNOWN ? failures + 1 : 0;
          scheduler.later(image.registry(), this, retryIn(verdict.answer()));
        }
      }
      boolean changed =
          previous == null
              || previous.answer() != verdict.answer()
              || !Objects.equals(previous.message(), verdict.message());
      log(verdict, changed);
      if (changed || previous.answer() == Answer.GRANTED) {
        onChange.run();
      }
    }

    /** One line per check; a repeated refusal or failure only at debug level. */
    private void log(Verdict verdict, boolean changed) {
      String who = credentials == null ? "an anonymous pull" : "the pull secret's credentials";
      if (verdict.answer() == Answer.GRANTED) {
        LOG.info("registry grants {} access to {}", who, image);
      } else if (changed) {
        LOG.warn(
            "registry access check of {} for {}: {} ({})",
            image,
            who,
            verdict.message(),
            verdict.reason());
      } else {
        LOG.debug(
            "registry access check of {} for {} unchanged: {}", image, who, verdict.message());
      }
    }

    private Verdict ask() {
      try {
        registry.checkAccess(image, credentials);
        return new Verdict(Answer.GRANTED, null, null, clock.instant());
      } catch (FetchException e) {
        boolean refused = e.reason().equals("RegistryUnauthorized") && !e.retryable();
        return new Verdict(
            refused ? Answer.REFUSED : Answer.UNKNOWN, e.reason(), e.getMessage(), clock.instant());
      } catch (RuntimeException e) {
        return new Verdict(Answer.UNKNOWN, "FetchFailed", e.toString(), clock.instant());
      }
    }

    private Duration retryIn(Answer answer) {
      return answer == Answer.REFUSED
          ? SharingRule.lifetime(answer)
          : FetchScheduler.delay(failures, true);
    }
  }
}
