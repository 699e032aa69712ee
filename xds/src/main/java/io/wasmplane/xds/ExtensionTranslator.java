package io.wasmplane.xds;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.protobuf.StringValue;
import io.envoyproxy.envoy.config.core.v3.AsyncDataSource;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.HttpUri;
import io.envoyproxy.envoy.config.core.v3.RemoteDataSource;
import io.envoyproxy.envoy.config.core.v3.RetryPolicy;
import io.envoyproxy.envoy.config.core.v3.TypedExtensionConfig;
import io.envoyproxy.envoy.config.rbac.v3.Permission;
import io.envoyproxy.envoy.config.rbac.v3.Policy;
import io.envoyproxy.envoy.config.rbac.v3.Principal;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.FaultAbort;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.wasm.v3.EnvironmentVariables;
import io.envoyproxy.envoy.extensions.wasm.v3.PluginConfig;
import io.envoyproxy.envoy.extensions.wasm.v3.VmConfig;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import java.util.TreeMap;

/**
 * Builds the ECDS resource for a {@link WasmExtension}: the Wasm filter (or Lua filter, for Lua
 * code) or its stand-in.
 */
public final class ExtensionTranslator {
  /** The static cluster in the proxy bootstrap that reaches the control plane's module server. */
  public static final String MODULES_CLUSTER = "wasmplane-modules";

  private static final String RUNTIME = "envoy.wasm.runtime.v8";

  private ExtensionTranslator() {}

  /**
   * The ECDS resource in its canonical form: served modules as {@code remote} data sources whose
   * url names no proxy. Its hash is the resource's version.
   */
  public static TypedExtensionConfig translate(WasmExtension extension) {
    return translate(extension, ModuleBytes.REMOTE, null);
  }

  /**
   * The ECDS resource as one proxy gets it: served modules inline where {@code modules} has their
   * bytes, else {@code remote} with {@code nack_on_code_cache_miss}, fetched for {@code fetch}.
   */
  public static TypedExtensionConfig translate(
      WasmExtension extension, ModuleBytes modules, RemoteFetch fetch) {
    Any config =
        extension instanceof WasmFilter filter
            ? wasm(filter, modules, fetch)
            : standIn((StandInFilter) extension);
    return TypedExtensionConfig.newBuilder()
        .setName(extension.name())
        .setTypedConfig(config)
        .build();
  }

  private static Any wasm(WasmFilter extension, ModuleBytes modules, RemoteFetch fetch) {
    if (extension.module() instanceof ModuleSource.Lua lua) {
      return Any.pack(
          io.envoyproxy.envoy.extensions.filters.http.lua.v3.Lua.newBuilder()
              .setDefaultSourceCode(DataSource.newBuilder().setInlineString(lua.code()))
              .build());
    }
    PluginConfig plugin = pluginConfig(extension, modules, fetch);
    return extension.type() == FilterType.HTTP
        ? Any.pack(
            io.envoyproxy.envoy.extensions.filters.http.wasm.v3.Wasm.newBuilder()
                .setConfig(plugin)
                .build())
        : Any.pack(
            io.envoyproxy.envoy.extensions.filters.network.wasm.v3.Wasm.newBuilder()
                .setConfig(plugin)
                .build());
  }

  private static PluginConfig pluginConfig(
      WasmFilter extension, ModuleBytes modules, RemoteFetch fetch) {
    AsyncDataSource code = code(extension.module(), modules, fetch);
    VmConfig.Builder vm =
        VmConfig.newBuilder().setVmId(extension.vmId()).setRuntime(RUNTIME).setCode(code);
    if (code.hasRemote()) {
      // Without this, remote code that arrives after a listener warmed is never fetched and the
      // filter is silently skipped; with it, a cache miss is a NACK and a background fetch.
      vm.setNackOnCodeCacheMiss(true);
    }
    if (!extension.hostEnvKeys().isEmpty() || !extension.inlineEnv().isEmpty()) {
      vm.setEnvironmentVariables(
          EnvironmentVariables.newBuilder()
              .addAllHostEnvKeys(extension.hostEnvKeys())
              .putAllKeyValues(new TreeMap<>(extension.inlineEnv())));
    }
    PluginConfig.Builder plugin =
        PluginConfig.newBuilder()
            .setName(extension.vmId())
            .setRootId(extension.rootId())
            .setVmConfig(vm)
            .setFailurePolicy(
                switch (extension.failurePolicy()) {
                  case FAIL_CLOSED ->
                      io.envoyproxy.envoy.extensions.wasm.v3.FailurePolicy.FAIL_CLOSED;
                  case FAIL_OPEN -> io.envoyproxy.envoy.extensions.wasm.v3.FailurePolicy.FAIL_OPEN;
                  case FAIL_RELOAD ->
                      io.envoyproxy.envoy.extensions.wasm.v3.FailurePolicy.FAIL_RELOAD;
                });
    if (extension.configuration() != null) {
      plugin.setConfiguration(Any.pack(StringValue.of(extension.configuration())));
    }
    return plugin.build();
  }

  private static AsyncDataSource code(ModuleSource module, ModuleBytes modules, RemoteFetch fetch) {
    if (module instanceof ModuleSource.LocalFile file) {
      return AsyncDataSource.newBuilder()
          .setLocal(DataSource.newBuilder().setFilename(file.filename()))
          .build();
    }
    ModuleSource.Served served = (ModuleSource.Served) module;
    java.util.Optional<com.google.protobuf.ByteString> inline = modules.bytes(served.sha256());
    if (inline.isPresent()) {
      return AsyncDataSource.newBuilder()
          .setLocal(DataSource.newBuilder().setInlineBytes(inline.get()))
          .build();
    }
    return AsyncDataSource.newBuilder()
        .setRemote(
            RemoteDataSource.newBuilder()
                .setHttpUri(
                    HttpUri.newBuilder()
                        .setUri(
                            "http://"
                                + MODULES_CLUSTER
                                + served.path()
                                + (fetch == null ? "" : fetch.query()))
                        .setCluster(MODULES_CLUSTER)
                        .setTimeout(Duration.newBuilder().setSeconds(30)))
                .setSha256(served.sha256())
                .setRetryPolicy(
                    RetryPolicy.newBuilder().setNumRetries(com.google.protobuf.UInt32Value.of(5))))
        .build();
  }

  private static Any standIn(StandInFilter extension) {
    boolean http = extension.type() == FilterType.HTTP;
    if (extension.kind() == StandIn.PASS) {
      return http
          ? Any.pack(io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.getDefaultInstance())
          : Any.pack(networkRbac(extension).build());
    }
    if (http) {
      return Any.pack(
          HTTPFault.newBuilder()
              .setAbort(
                  FaultAbort.newBuilder()
                      .setHttpStatus(503)
                      .setPercentage(
                          FractionalPercent.newBuilder()
                              .setNumerator(100)
                              .setDenominator(FractionalPercent.DenominatorType.HUNDRED)))
              .build());
    }
    return Any.pack(
        networkRbac(extension)
            .setRules(
                RBAC.newBuilder()
                    .setAction(RBAC.Action.DENY)
                    .putPolicies(
                        "wasmplane-module-unavailable",
                        Policy.newBuilder()
                            .addPermissions(Permission.newBuilder().setAny(true))
                            .addPrincipals(Principal.newBuilder().setAny(true))
                            .build()))
            .build());
  }

  /** A network RBAC filter builder with the stand-in's stat prefix set. */
  private static io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.Builder networkRbac(
      WasmExtension extension) {
    return io.envoyproxy
        .envoy
        .extensions
        .filters
        .network
        .rbac
        .v3
        .RBAC
        .newBuilder()
        .setStatPrefix(statPrefix(extension));
  }

  private static String statPrefix(WasmExtension extension) {
    return "wasmplane_standin_" + extension.vmId().replaceAll("[^A-Za-z0-9_]", "_") + ".";
  }
}
