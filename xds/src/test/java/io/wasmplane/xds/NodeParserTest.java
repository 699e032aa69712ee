package io.wasmplane.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeParserTest {
  static Value s(String text) {
    return Value.newBuilder().setStringValue(text).build();
  }

  static Value n(double number) {
    return Value.newBuilder().setNumberValue(number).build();
  }

  static Value map(Map<String, Value> fields) {
    return Value.newBuilder().setStructValue(Struct.newBuilder().putAllFields(fields)).build();
  }

  static Value list(Value... values) {
    return Value.newBuilder()
        .setListValue(ListValue.newBuilder().addAllValues(java.util.List.of(values)))
        .build();
  }

  static Value inbound() {
    return map(
        Map.of(
            "name", s("inbound-http"),
            "port", n(15006),
            "direction", s("INBOUND"),
            "targetPort", n(8080),
            "protocol", s("HTTP"),
            "cluster", s("local-app")));
  }

  /** Node a.b in namespace b with one listener "x" of the given port and direction. */
  private static Node oneListener(Value port, Value direction) {
    return node(
        "a.b",
        Map.of(
            "NAMESPACE",
            s("b"),
            "LISTENERS",
            list(map(Map.of("name", s("x"), "port", port, "direction", direction)))));
  }

  static Node node(String id, Map<String, Value> metadata) {
    return Node.newBuilder()
        .setId(id)
        .setMetadata(Struct.newBuilder().putAllFields(metadata))
        .build();
  }

  @Test
  void readsTheProxyContract() throws Exception {
    ProxyIdentity identity =
        NodeParser.parse(
            node(
                "reviews-v1-7d9f.default",
                Map.of(
                    "NAMESPACE", s("default"),
                    "LABELS", map(Map.of("app", s("reviews"), "version", s("v1"))),
                    "LISTENERS", list(inbound()))));

    assertThat(identity.podName()).isEqualTo("reviews-v1-7d9f");
    assertThat(identity.namespace()).isEqualTo("default");
    assertThat(identity.labels()).containsEntry("app", "reviews").containsEntry("version", "v1");
    assertThat(identity.listeners())
        .containsExactly(
            new ListenerSpec(
                "inbound-http",
                "0.0.0.0",
                15006,
                Direction.INBOUND,
                8080,
                Protocol.HTTP,
                "local-app"));
  }

  @Test
  void podNamesMayContainDotsBecauseTheIdSplitsAtTheLastDot() throws Exception {
    ProxyIdentity identity =
        NodeParser.parse(
            node("web.v2.shop", Map.of("NAMESPACE", s("shop"), "LISTENERS", list(inbound()))));

    assertThat(identity.podName()).isEqualTo("web.v2");
    assertThat(identity.namespace()).isEqualTo("shop");
  }

  @Test
  void explainsEveryBrokenPartOfTheContract() {
    assertThatThrownBy(() -> NodeParser.parse(node("nodot", Map.of())))
        .hasMessageContaining("node.id must be <pod>.<namespace>");
    assertThatThrownBy(() -> NodeParser.parse(node("a.b", Map.of("LISTENERS", list(inbound())))))
        .hasMessageContaining("node.metadata.NAMESPACE must be a string");
    assertThatThrownBy(
            () ->
                NodeParser.parse(
                    node("a.b", Map.of("NAMESPACE", s("c"), "LISTENERS", list(inbound())))))
        .hasMessageContaining("does not match the namespace in node.id \"b\"");
    assertThatThrownBy(() -> NodeParser.parse(node("a.b", Map.of("NAMESPACE", s("b")))))
        .hasMessageContaining("node.metadata.LISTENERS must list at least one listener");
    assertThatThrownBy(() -> NodeParser.parse(oneListener(n(70000), s("INBOUND"))))
        .hasMessageContaining("LISTENERS[0].port must be a port in 1..65535");
    assertThatThrownBy(() -> NodeParser.parse(oneListener(n(1), s("SIDEWAYS"))))
        .hasMessageContaining("direction must be INBOUND or OUTBOUND");
    assertThatThrownBy(
            () ->
                NodeParser.parse(
                    node(
                        "a.b",
                        Map.of("NAMESPACE", s("b"), "LISTENERS", list(inbound(), inbound())))))
        .hasMessageContaining("is not unique");
  }

  @Test
  void aNodeMayDeclareAtMost64Listeners() {
    Value[] many = new Value[NodeParser.MAX_LISTENERS + 1];
    java.util.Arrays.fill(many, inbound());
    assertThatThrownBy(
            () ->
                NodeParser.parse(node("a.b", Map.of("NAMESPACE", s("b"), "LISTENERS", list(many)))))
        .hasMessageContaining("lists 65 listeners; at most 64 are allowed");
  }
}
