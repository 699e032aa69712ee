package io.wasmplane.xds;

import com.google.protobuf.Any;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Envoy resources for one {@link ProxyPlan}, with content-hash versions. Immutable, so proxies
 * with equal plans share one instance, and a recomputation that changes nothing has the same
 * versions and pushes nothing. Listeners are translated once; an ECDS resource is translated when
 * it is sent, because a {@code remote} module's url names the proxy that fetches it.
 */
public final class ProxySnapshot {
  private final ProxyPlan plan;
  private final ModuleBytes modules;
  private final List<Any> listeners;
  private final String listenersVersion;
  private final Map<WasmExtension, String> versions = new HashMap<>();
  private final Set<String> servedDigests = new HashSet<>();
  private final Map<WasmExtension, String> remoteDigests = new HashMap<>();

  private ProxySnapshot(ProxyPlan plan, ModuleBytes modules) {
    this.plan = plan;
    this.modules = modules;
    List<Any> listenerResources = new ArrayList<>();
    MessageDigest all = sha256();
    for (ListenerPlan listener : plan.listeners()) {
      Any packed = Any.pack(ListenerTranslator.translate(listener));
      listenerResources.add(packed);
      all.update(serialize(packed));
    }
    this.listeners = List.copyOf(listenerResources);
    this.listenersVersion = HexFormat.of().formatHex(all.digest()).substring(0, 16);
    for (ExtensionOffer offer : plan.extensions().values()) {
      for (WasmExtension extension : new WasmExtension[] {offer.good(), offer.standIn()}) {
        if (extension != null) {
          versions.put(extension, hash(serialize(ExtensionTranslator.translate(extension))));
          if (extension instanceof WasmFilter filter
              && filter.module() instanceof ModuleSource.Served served) {
            servedDigests.add(served.sha256());
            if (modules.bytes(served.sha256()).isEmpty()) {
              remoteDigests.put(extension, served.sha256());
            }
          }
        }
      }
    }
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

  /** What can be sent for the ECDS resource {@code name}, or null if the plan has no such name. */
  public ExtensionOffer offer(String name) {
    return plan.extensions().get(name);
  }

  public Collection<String> extensionNames() {
    return plan.extensions().keySet();
  }

  /**
   * The content version of {@code extension}: kept for this snapshot's offered versions, computed
   * for anything else (only a refused plugin's stand-in, which is rare).
   */
  public String version(WasmExtension extension) {
    String version = versions.get(extension);
    return version != null ? version : hash(serialize(ExtensionTranslator.translate(extension)));
  }

  /**
   * Content version of what a proxy that never had {@code name} would get now, or null if nothing
   * can be sent yet (or there is no such name).
   */
  public String extensionVersion(String name) {
    ExtensionOffer offer = offer(name);
    return offer == null || offer.preferred() == null ? null : versions.get(offer.preferred());
  }

  /** The canonical resource a proxy that never had {@code name} would get, or null. */
  public Any extension(String name) {
    ExtensionOffer offer = offer(name);
    return offer == null || offer.preferred() == null
        ? null
        : Any.pack(ExtensionTranslator.translate(offer.preferred()));
  }

  /** The ECDS resource for {@code extension} as the proxy {@code fetch} names gets it. */
  public Any resource(WasmExtension extension, RemoteFetch fetch) {
    return Any.pack(ExtensionTranslator.translate(extension, modules, fetch));
  }

  /**
   * The SHA-256 of the module a proxy must fetch to run {@code extension}, or null when its code
   * travels inline or is a local file.
   */
  public String remoteDigest(WasmExtension extension) {
    return remoteDigests.get(extension);
  }

  /** SHA-256 of every module the proxies of this plan may fetch. */
  public Set<String> servedDigests() {
    return servedDigests;
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
