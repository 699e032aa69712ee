package io.wasmplane.xds;

import com.google.protobuf.Any;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The Envoy resources for one {@link ProxyPlan}, with content-hash versions. Immutable, so proxies
 * with equal plans share one instance, and a recomputation that changes nothing has the same
 * versions and pushes nothing.
 */
public final class ProxySnapshot {
  private final ProxyPlan plan;
  private final List<Any> listeners;
  private final String listenersVersion;
  private final Map<String, Any> extensions;
  private final Map<String, String> extensionVersions;

  private ProxySnapshot(ProxyPlan plan, ModuleBytes modules) {
    this.plan = plan;
    List<Any> listenerResources = new ArrayList<>();
    MessageDigest all = sha256();
    for (ListenerPlan listener : plan.listeners()) {
      Any packed = Any.pack(ListenerTranslator.translate(listener));
      listenerResources.add(packed);
      all.update(serialize(packed));
    }
    this.listeners = List.copyOf(listenerResources);
    this.listenersVersion = HexFormat.of().formatHex(all.digest()).substring(0, 16);
    Map<String, Any> resources = new LinkedHashMap<>();
    Map<String, String> versions = new LinkedHashMap<>();
    plan.extensions()
        .forEach(
            (name, extension) -> {
              Any packed = Any.pack(ExtensionTranslator.translate(extension, modules));
              resources.put(name, packed);
              versions.put(name, hash(serialize(packed)));
            });
    this.extensions = Map.copyOf(resources);
    this.extensionVersions = Map.copyOf(versions);
  }

  /** Translates a plan. Prefer {@link SnapshotCache#snapshot(ProxyPlan)}, which shares results. */
  public static ProxySnapshot of(ProxyPlan plan) {
    return new ProxySnapshot(plan, ModuleBytes.REMOTE);
  }

  /** Translates a plan, with served modules inline where {@code modules} has their bytes. */
  public static ProxySnapshot of(ProxyPlan plan, ModuleBytes modules) {
    return new ProxySnapshot(plan, modules);
  }

  public ProxyPlan plan() {
    return plan;
  }

  /** Listener resources, in declaration order. */
  public List<Any> listeners() {
    return listeners;
  }

  public String listenersVersion() {
    return listenersVersion;
  }

  /** The ECDS resource named {@code name}, or null. */
  public Any extension(String name) {
    return extensions.get(name);
  }

  public Collection<String> extensionNames() {
    return extensions.keySet();
  }

  /** Content version of one ECDS resource, or null if there is none by that name. */
  public String extensionVersion(String name) {
    return extensionVersions.get(name);
  }

  /**
   * The version of an ECDS response carrying exactly the existing resources among {@code names}.
   */
  public String extensionsVersion(Collection<String> names) {
    StringBuilder key = new StringBuilder();
    for (String name : new TreeSet<>(names)) {
      String version = extensionVersions.get(name);
      if (version != null) {
        key.append(name).append('=').append(version).append(';');
      }
    }
    return hash(key.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] serialize(Message message) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      out.useDeterministicSerialization();
      message.writeTo(out);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String hash(byte[] content) {
    return HexFormat.of().formatHex(sha256().digest(content)).substring(0, 16);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
