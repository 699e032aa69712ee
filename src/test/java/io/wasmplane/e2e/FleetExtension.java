package io.wasmplane.e2e;

import com.google.protobuf.Any;
import com.google.protobuf.BytesValue;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.StringValue;
import io.envoyproxy.envoy.config.core.v3.AsyncDataSource;
import io.envoyproxy.envoy.config.core.v3.TypedExtensionConfig;
import io.envoyproxy.envoy.extensions.wasm.v3.PluginConfig;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a simulated proxy needs from one ECDS resource: whether it is a Wasm filter, where its code
 * comes from, and the plugin name and round in its configuration.
 *
 * @param code how the code is delivered; {@link Code#NONE} for a non-Wasm stand-in
 * @param sha256 the remote code's sha256, or the inline code's as the benchmark knows it
 * @param uri the remote code's {@code http_uri.uri}
 * @param nackOnMiss {@code vm_config.nack_on_code_cache_miss}
 * @param plugin the {@code name} in the configuration, "" when there is none
 * @param round the {@code round} in the configuration, -1 when there is none
 */
record FleetExtension(
    String name,
    boolean http,
    Code code,
    String sha256,
    String uri,
    boolean nackOnMiss,
    String configuration,
    String plugin,
    int round) {
  private static final String HTTP_WASM = "envoy.extensions.filters.http.wasm.v3.Wasm";
  private static final String NETWORK_WASM = "envoy.extensions.filters.network.wasm.v3.Wasm";
  private static final Pattern NAME = Pattern.compile("\"name\"\\s*:\\s*\"([^\"]*)\"");
  private static final Pattern ROUND = Pattern.compile("\"round\"\\s*:\\s*\"?(\\d+)");

  /** Where a filter's Wasm code comes from. */
  enum Code {
    NONE,
    REMOTE,
    INLINE,
    FILE
  }

  /** Reads {@code resource}; {@code inlineSha} names inline code. */
  static FleetExtension read(
      Any resource, Function<com.google.protobuf.ByteString, String> inlineSha)
      throws InvalidProtocolBufferException {
    TypedExtensionConfig config = resource.unpack(TypedExtensionConfig.class);
    Any typed = config.getTypedConfig();
    String type = typed.getTypeUrl().substring(typed.getTypeUrl().lastIndexOf('/') + 1);
    PluginConfig plugin;
    if (type.equals(HTTP_WASM)) {
      plugin =
          typed.unpack(io.envoyproxy.envoy.extensions.filters.http.wasm.v3.Wasm.class).getConfig();
    } else if (type.equals(NETWORK_WASM)) {
      plugin =
          typed
              .unpack(io.envoyproxy.envoy.extensions.filters.network.wasm.v3.Wasm.class)
              .getConfig();
    } else {
      return new FleetExtension(config.getName(), true, Code.NONE, "", "", false, "", "", -1);
    }
    AsyncDataSource source = plugin.getVmConfig().getCode();
    String configuration = configuration(plugin.getConfiguration());
    Matcher name = NAME.matcher(configuration);
    Matcher round = ROUND.matcher(configuration);
    Code code;
    String sha256 = "";
    String uri = "";
    if (source.hasRemote()) {
      code = Code.REMOTE;
      sha256 = source.getRemote().getSha256();
      uri = source.getRemote().getHttpUri().getUri();
    } else if (source.getLocal().hasInlineBytes()) {
      code = Code.INLINE;
      sha256 = inlineSha.apply(source.getLocal().getInlineBytes());
    } else {
      code = Code.FILE;
    }
    return new FleetExtension(
        config.getName(),
        type.equals(HTTP_WASM),
        code,
        sha256,
        uri,
        plugin.getVmConfig().getNackOnCodeCacheMiss(),
        configuration,
        name.find() ? name.group(1) : "",
        round.find() ? Integer.parseInt(round.group(1)) : -1);
  }

  boolean wasm() {
    return code != Code.NONE;
  }

  private static String configuration(Any configuration) throws InvalidProtocolBufferException {
    if (configuration.is(StringValue.class)) {
      return configuration.unpack(StringValue.class).getValue();
    }
    if (configuration.is(BytesValue.class)) {
      return configuration.unpack(BytesValue.class).getValue().toString(StandardCharsets.UTF_8);
    }
    return "";
  }
}
