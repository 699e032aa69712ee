package io.wasmplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.core.v3.TypedExtensionConfig;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.http.lua.v3.Lua;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pins how Lua code becomes an ECDS resource, and which filter slots may hold it. */
class LuaTranslationTest {
  private static final String LUA = WasmExtension.resourceName("trafficextension", "shop", "lua");
  private static final String WASM = WasmExtension.resourceName("shop", "wasm");

  @Test
  void luaCodeBecomesEnvoysLuaFilterWithTheCodeInline() throws Exception {
    String code = "function envoy_on_request(h) h:headers():add('x', '1') end";
    WasmFilter filter =
        new WasmFilter(
            LUA,
            FilterType.HTTP,
            "",
            "trafficextension.shop.lua",
            new ModuleSource.Lua(code),
            null,
            FailurePolicy.FAIL_CLOSED,
            List.of(),
            Map.of());

    TypedExtensionConfig resource = ExtensionTranslator.translate(filter);

    assertThat(resource.getName()).isEqualTo("extensions.istio.io/trafficextension/shop.lua");
    assertThat(resource.getTypedConfig().getTypeUrl()).isEqualTo(TypeUrls.HTTP_LUA);
    assertThat(resource.getTypedConfig().unpack(Lua.class).getDefaultSourceCode().getInlineString())
        .isEqualTo(code);
  }

  @Test
  void onlyATrafficExtensionsSlotAdmitsLua() throws Exception {
    ListenerSpec spec =
        new ListenerSpec("http", "127.0.0.1", 15006, Direction.INBOUND, 8080, Protocol.HTTP, "app");
    Listener listener =
        ListenerTranslator.translate(new ListenerPlan(spec, List.of(), List.of(WASM, LUA)));
    HttpConnectionManager hcm =
        listener
            .getFilterChains(0)
            .getFilters(0)
            .getTypedConfig()
            .unpack(HttpConnectionManager.class);

    assertThat(hcm.getHttpFilters(0).getName()).isEqualTo(WASM);
    assertThat(hcm.getHttpFilters(0).getConfigDiscovery().getTypeUrlsList())
        .doesNotContain(TypeUrls.HTTP_LUA);
    assertThat(hcm.getHttpFilters(1).getName()).isEqualTo(LUA);
    assertThat(hcm.getHttpFilters(1).getConfigDiscovery().getTypeUrlsList())
        .contains(TypeUrls.HTTP_LUA, TypeUrls.HTTP_WASM);
  }
}
