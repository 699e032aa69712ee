package io.wasmplane.e2e;

import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpServer;
import io.wasmplane.testbed.Digests;
import io.wasmplane.testbed.WasmFixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The fleet benchmark's three plugins: distinct Wasm modules padded to one size, in two variants
 * each, served over plain HTTP on 127.0.0.1, and the WasmPlugin YAML that names them.
 */
final class FleetModules implements AutoCloseable {
  /** Plugin names, in phase order. */
  static final List<String> PLUGINS = List.of("authn", "authz", "stats");

  private static final List<String> PHASES = List.of("AUTHN", "AUTHZ", "STATS");
  private static final List<String> VARIANTS = List.of("a", "b");
  private static final int TAIL = 32;

  private final HttpServer server;
  private final ExecutorService executor;
  private final Map<String, byte[]> files = new HashMap<>();
  private final Map<String, String> sha256 = new HashMap<>();
  private final Map<ByteString, String> shaByTail = new HashMap<>();

  private FleetModules(int size) throws IOException {
    byte[] base = WasmFixtures.bytes(WasmFixtures.HEADER_CHAIN);
    if (size < base.length + 64) {
      throw new IllegalArgumentException(
          "modules of " + size + " bytes are too small; at least " + (base.length + 64));
    }
    long seed = size;
    for (String plugin : PLUGINS) {
      for (String variant : VARIANTS) {
        byte[] module = padded(base, size, ++seed);
        String key = plugin + "-" + variant;
        files.put("/" + key + ".wasm", module);
        sha256.put(key, Digests.sha256Hex(module));
        shaByTail.put(ByteString.copyFrom(module, module.length - TAIL, TAIL), sha256.get(key));
      }
    }
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    executor = Executors.newFixedThreadPool(2);
    server.setExecutor(executor);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            byte[] body = files.get(exchange.getRequestURI().getPath());
            if (body == null) {
              exchange.sendResponseHeaders(404, -1);
              return;
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          }
        });
    server.start();
  }

  /** Builds the six modules of {@code size} bytes and starts serving them. */
  static FleetModules serve(int size) throws IOException {
    return new FleetModules(size);
  }

  /** The hex sha256 of each plugin's module in {@code variant}, by plugin name. */
  Map<String, String> shas(String variant) {
    Map<String, String> shas = new LinkedHashMap<>();
    PLUGINS.forEach(plugin -> shas.put(plugin, sha256.get(plugin + "-" + variant)));
    return shas;
  }

  /** The sha256 of inline module bytes, if they are one of these modules; else "unknown". */
  String inlineSha(ByteString code) {
    if (code.size() < TAIL) {
      return "unknown";
    }
    return shaByTail.getOrDefault(code.substring(code.size() - TAIL), "unknown");
  }

  /** One WasmPlugin in namespace {@code fleet} for every proxy there, at {@code round}. */
  String yaml(String plugin, String variant, int round) {
    return """
        apiVersion: extensions.istio.io/v1alpha1
        kind: WasmPlugin
        metadata:
          name: %s
          namespace: fleet
        spec:
          url: http://127.0.0.1:%d/%s-%s.wasm
          sha256: "%s"
          phase: %s
          pluginConfig: {name: %s, round: %d}
        """
        .formatted(
            plugin,
            server.getAddress().getPort(),
            plugin,
            variant,
            sha256.get(plugin + "-" + variant),
            PHASES.get(PLUGINS.indexOf(plugin)),
            plugin,
            round);
  }

  /**
   * {@code base} with a custom section named "pad" appended, filled with bytes from {@code seed},
   * so that the module is {@code size} bytes long (or the smallest valid length above it).
   */
  static byte[] padded(byte[] base, int size, long seed) {
    byte[] name = "pad".getBytes(StandardCharsets.US_ASCII);
    int fixed = 1 + name.length;
    int filler = 0;
    for (int lengthBytes = 1; lengthBytes <= 5; lengthBytes++) {
      int candidate = size - base.length - 1 - lengthBytes - fixed;
      if (candidate >= 0 && leb128(fixed + candidate).length == lengthBytes) {
        filler = candidate;
        break;
      }
    }
    byte[] fill = new byte[filler];
    new Random(seed).nextBytes(fill);
    ByteArrayOutputStream out = new ByteArrayOutputStream(size);
    out.writeBytes(base);
    out.write(0);
    out.writeBytes(leb128(fixed + filler));
    out.writeBytes(leb128(name.length));
    out.writeBytes(name);
    out.writeBytes(fill);
    return out.toByteArray();
  }

  private static byte[] leb128(int value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(5);
    int rest = value;
    do {
      int b = rest & 0x7f;
      rest >>>= 7;
      out.write(rest == 0 ? b : b | 0x80);
    } while (rest != 0);
    return out.toByteArray();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
