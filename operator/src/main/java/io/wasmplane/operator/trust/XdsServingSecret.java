package io.wasmplane.operator.trust;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the xDS CA and serving certificate in a Secret of the operator's namespace: made once by
 * whichever replica comes first (the others read it), renewed before it expires, written to files
 * the xDS server re-reads, and the CA published in the sidecar bootstrap ConfigMap. A Secret
 * without the CA key (e.g. one cert-manager keeps) is used as it is and never written.
 */
public final class XdsServingSecret {
  private static final Logger LOG = LoggerFactory.getLogger(XdsServingSecret.class);
  private static final long REFRESH_MINUTES = 5;

  private final KubernetesClient client;
  private final Names names;
  private final List<String> serverNames;
  private final Path dir;
  private final Clock clock;
  private final BootstrapCa publisher;

  /**
   * Where things are kept.
   *
   * @param namespace the operator's namespace
   * @param secret the Secret holding the CA and serving certificate
   * @param configMap the sidecar bootstrap ConfigMap the CA is published in
   * @param external whether another issuer (e.g. cert-manager) makes the Secret, so this never
   *     writes it and waits for it instead
   */
  public record Names(String namespace, String secret, String configMap, boolean external) {}

  /** How long the first start waits for a Secret another issuer makes. */
  static final java.time.Duration EXTERNAL_WAIT = java.time.Duration.ofMinutes(5);

  /**
   * @param serverNames DNS names and addresses the serving certificate names; the first is its
   *     Common Name
   * @param dir where the PEM files for the xDS server are written
   */
  public XdsServingSecret(
      KubernetesClient client, Names names, List<String> serverNames, Path dir, Clock clock) {
    this.client = client;
    this.names = names;
    this.serverNames = List.copyOf(serverNames);
    this.dir = dir;
    this.clock = clock;
    this.publisher = new BootstrapCa(client, names.namespace(), names.configMap());
  }

  public Path certificate() {
    return dir.resolve("tls.crt");
  }

  public Path key() {
    return dir.resolve("tls.key");
  }

  /**
   * Makes or reads the Secret and writes the files, then keeps them fresh on {@code timer}.
   *
   * @throws IllegalStateException when the Secret can be neither read nor made, with a message
   *     saying what to do
   */
  public void start(ScheduledExecutorService timer) {
    java.util.concurrent.CompletableFuture<Void> ready =
        new java.util.concurrent.CompletableFuture<>();
    java.time.Instant deadline = clock.instant().plus(EXTERNAL_WAIT);
    attempt(timer, ready, deadline);
    try {
      ready.get();
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof KubernetesClientException refused) {
        throw new IllegalStateException(
            "cannot keep the xDS certificate in Secret "
                + names.namespace()
                + "/"
                + names.secret()
                + " ("
                + refused.getCode()
                + " "
                + (refused.getStatus() == null
                    ? refused.getMessage()
                    : refused.getStatus().getMessage())
                + "); grant the operator access to it, give --xds-tls-cert and --xds-tls-key,"
                + " or --xds-plaintext",
            refused);
      }
      throw e.getCause() instanceof RuntimeException runtime
          ? runtime
          : new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the xDS certificate", e);
    }
    timer.scheduleWithFixedDelay(
        this::refreshQuietly, REFRESH_MINUTES, REFRESH_MINUTES, TimeUnit.MINUTES);
  }

  /**
   * Tries once to bring the files up to date; while another issuer has not made the Secret, tries
   * again every 5 s until {@code deadline}.
   */
  private void attempt(
      ScheduledExecutorService timer,
      java.util.concurrent.CompletableFuture<Void> ready,
      java.time.Instant deadline) {
    try {
      if (refresh()) {
        ready.complete(null);
      } else if (clock.instant().isAfter(deadline)) {
        ready.completeExceptionally(
            new IllegalStateException(
                "no Secret "
                    + names.namespace()
                    + "/"
                    + names.secret()
                    + " after "
                    + EXTERNAL_WAIT.toMinutes()
                    + " minutes; is its issuer (e.g. cert-manager) running?"));
      } else {
        LOG.info(
            "waiting for Secret {}/{}, which another issuer makes",
            names.namespace(),
            names.secret());
        timer.schedule(() -> attempt(timer, ready, deadline), 5, TimeUnit.SECONDS);
      }
    } catch (RuntimeException e) {
      ready.completeExceptionally(e);
    }
  }

  private void refreshQuietly() {
    try {
      refresh();
    } catch (RuntimeException e) {
      LOG.warn("cannot refresh the xDS certificate: {}", e.getMessage());
    }
  }

  /** Brings the files and the published CA up to date; false when the Secret is not there yet. */
  synchronized boolean refresh() {
    Map<String, String> pem = current();
    if (pem == null) {
      return false;
    }
    write(pem);
    publisher.publish(pem.get("ca.crt"));
    return true;
  }

  /**
   * The Secret's PEM entries, made or renewed first where this replica must; null when another
   * issuer has not made it yet.
   */
  private Map<String, String> current() {
    Secret secret = secrets().get();
    if (secret == null && names.external()) {
      return null;
    }
    if (secret == null) {
      XdsPki.Issued ca = XdsPki.newCa(clock.instant());
      XdsPki.Issued serving = XdsPki.serving(ca, serverNames, clock.instant());
      Map<String, String> pem = pem(ca, serving);
      try {
        secrets().create(secret(pem, null));
        LOG.info(
            "made the xDS CA and certificate in Secret {}/{}", names.namespace(), names.secret());
        return pem;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        // Another replica made it first; use theirs.
        secret = secrets().get();
      }
    }
    Map<String, String> pem = decode(secret.getData());
    String caKey = pem.get("ca.key");
    if (caKey != null
        && !names.external()
        && XdsPki.renewalDue(pem.getOrDefault("tls.crt", ""), serverNames, clock.instant())) {
      XdsPki.Issued ca = new XdsPki.Issued(pem.get("ca.crt"), caKey);
      Map<String, String> renewed = pem(ca, XdsPki.serving(ca, serverNames, clock.instant()));
      try {
        client.resource(secret(renewed, secret.getMetadata().getResourceVersion())).update();
        LOG.info("renewed the xDS certificate in Secret {}/{}", names.namespace(), names.secret());
        return renewed;
      } catch (KubernetesClientException e) {
        LOG.info("another replica renewed the xDS certificate first ({})", e.getCode());
        return decode(secrets().get().getData());
      }
    }
    return pem;
  }

  private void write(Map<String, String> pem) {
    try {
      Files.createDirectories(dir);
      for (String name : List.of("tls.crt", "tls.key", "ca.crt")) {
        String content = pem.get(name);
        if (content == null) {
          throw new IllegalStateException(
              "Secret " + names.namespace() + "/" + names.secret() + " has no " + name);
        }
        Path file = dir.resolve(name);
        if (Files.exists(file) && Files.readString(file).equals(content)) {
          continue;
        }
        Path temporary = dir.resolve("." + name + ".tmp");
        Files.writeString(temporary, content);
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write the xDS certificate files: " + e.getMessage(), e);
    }
  }

  private io.fabric8.kubernetes.client.dsl.Resource<Secret> secrets() {
    return client.secrets().inNamespace(names.namespace()).withName(names.secret());
  }

  private Secret secret(Map<String, String> pem, String resourceVersion) {
    Map<String, String> data = new HashMap<>();
    pem.forEach(
        (key, value) ->
            data.put(
                key,
                Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.US_ASCII))));
    return new SecretBuilder()
        .withNewMetadata()
        .withName(names.secret())
        .withNamespace(names.namespace())
        .withResourceVersion(resourceVersion)
        .addToLabels("app.kubernetes.io/managed-by", "wasmplane")
        .endMetadata()
        .withType("kubernetes.io/tls")
        .withData(data)
        .build();
  }

  private static Map<String, String> pem(XdsPki.Issued ca, XdsPki.Issued serving) {
    return Map.of(
        "ca.crt", ca.certificate(),
        "ca.key", ca.key(),
        "tls.crt", serving.certificate(),
        "tls.key", serving.key());
  }

  private static Map<String, String> decode(Map<String, String> data) {
    Map<String, String> pem = new HashMap<>();
    if (data != null) {
      data.forEach(
          (key, value) ->
              pem.put(
                  key, new String(Base64.getDecoder().decode(value), StandardCharsets.US_ASCII)));
    }
    return pem;
  }
}
