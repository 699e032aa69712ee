package io.wasmplane.xds;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Reads a {@link ProxyIdentity} from an Envoy node, as docs/proxy-contract.md describes. */
public final class NodeParser {
  /** The most listeners one node may declare: each costs the server a translation per change. */
  public static final int MAX_LISTENERS = 64;

  private NodeParser() {}

  /** The namespace a node id {@code <pod>.<namespace>} names, or null if it names none. */
  static String namespaceOf(String id) {
    int dot = id.lastIndexOf('.');
    return dot <= 0 || dot == id.length() - 1 ? null : id.substring(dot + 1);
  }

  public static ProxyIdentity parse(Node node) throws InvalidNodeException {
    String id = node.getId();
    String namespace = namespaceOf(id);
    if (namespace == null) {
      throw new InvalidNodeException("node.id must be <pod>.<namespace>, got \"" + id + "\"");
    }
    String pod = id.substring(0, id.length() - namespace.length() - 1);
    Map<String, Value> metadata = node.getMetadata().getFieldsMap();
    Value declared = metadata.get("NAMESPACE");
    if (declared == null || !declared.hasStringValue()) {
      throw new InvalidNodeException(
          "node.metadata.NAMESPACE must be a string (the namespace in node.id, \""
              + namespace
              + "\")");
    }
    if (!declared.getStringValue().equals(namespace)) {
      throw new InvalidNodeException(
          "node.metadata.NAMESPACE \""
              + declared.getStringValue()
              + "\" does not match the namespace in node.id \""
              + namespace
              + "\"");
    }
    Map<String, String> labels = new TreeMap<>();
    Value labelValue = metadata.get("LABELS");
    if (labelValue != null && !labelValue.hasNullValue()) {
      if (!labelValue.hasStructValue()) {
        throw new InvalidNodeException("node.metadata.LABELS must be a map of strings");
      }
      for (Map.Entry<String, Value> label : labelValue.getStructValue().getFieldsMap().entrySet()) {
        if (!label.getValue().hasStringValue()) {
          throw new InvalidNodeException(
              "node.metadata.LABELS." + label.getKey() + " must be a string");
        }
        labels.put(label.getKey(), label.getValue().getStringValue());
      }
    }
    Value listenerValue = metadata.get("LISTENERS");
    if (listenerValue == null
        || !listenerValue.hasListValue()
        || listenerValue.getListValue().getValuesCount() == 0) {
      throw new InvalidNodeException(
          "node.metadata.LISTENERS must list at least one listener"
              + " ({name, port, direction, protocol, cluster})");
    }
    if (listenerValue.getListValue().getValuesCount() > MAX_LISTENERS) {
      throw new InvalidNodeException(
          "node.metadata.LISTENERS lists "
              + listenerValue.getListValue().getValuesCount()
              + " listeners; at most "
              + MAX_LISTENERS
              + " are allowed");
    }
    List<ListenerSpec> listeners = new ArrayList<>();
    Set<String> names = new HashSet<>();
    Set<String> binds = new HashSet<>();
    List<Value> values = listenerValue.getListValue().getValuesList();
    for (int i = 0; i < values.size(); i++) {
      ListenerSpec listener = listener(values.get(i), "node.metadata.LISTENERS[" + i + "]");
      if (!names.add(listener.name())) {
        throw new InvalidNodeException(
            "node.metadata.LISTENERS[" + i + "].name \"" + listener.name() + "\" is not unique");
      }
      if (!binds.add(listener.address() + ":" + listener.port())) {
        throw new InvalidNodeException(
            "node.metadata.LISTENERS["
                + i
                + "] binds "
                + listener.address()
                + ":"
                + listener.port()
                + " which another listener already uses");
      }
      listeners.add(listener);
    }
    return new ProxyIdentity(id, pod, namespace, labels, listeners);
  }

  private static ListenerSpec listener(Value value, String path) throws InvalidNodeException {
    if (!value.hasStructValue()) {
      throw new InvalidNodeException(path + " must be a map");
    }
    Struct fields = value.getStructValue();
    String name = string(fields, "name", path, true);
    int port = port(fields, "port", path, true);
    String address = string(fields, "address", path, false);
    Direction direction =
        oneOf(Direction.class, string(fields, "direction", path, true), path + ".direction");
    Integer targetPort =
        fields.containsFields("targetPort") ? port(fields, "targetPort", path, true) : null;
    if (direction == Direction.INBOUND && targetPort == null) {
      throw new InvalidNodeException(path + ".targetPort is required on INBOUND listeners");
    }
    Protocol protocol =
        oneOf(Protocol.class, string(fields, "protocol", path, true), path + ".protocol");
    String cluster = string(fields, "cluster", path, true);
    return new ListenerSpec(
        name,
        address == null ? "0.0.0.0" : address,
        port,
        direction,
        targetPort,
        protocol,
        cluster);
  }

  private static String string(Struct fields, String key, String path, boolean required)
      throws InvalidNodeException {
    Value value = fields.getFieldsMap().get(key);
    if (value == null || value.hasNullValue()) {
      if (required) {
        throw new InvalidNodeException(path + "." + key + " is required");
      }
      return null;
    }
    if (!value.hasStringValue() || value.getStringValue().isEmpty()) {
      throw new InvalidNodeException(path + "." + key + " must be a non-empty string");
    }
    return value.getStringValue();
  }

  private static int port(Struct fields, String key, String path, boolean required)
      throws InvalidNodeException {
    Value value = fields.getFieldsMap().get(key);
    if (value == null) {
      if (required) {
        throw new InvalidNodeException(path + "." + key + " is required");
      }
      return 0;
    }
    double number;
    if (value.hasNumberValue()) {
      number = value.getNumberValue();
    } else if (value.hasStringValue() && value.getStringValue().matches("[0-9]{1,5}")) {
      number = Integer.parseInt(value.getStringValue());
    } else {
      throw new InvalidNodeException(path + "." + key + " must be a port number");
    }
    if (number != Math.rint(number) || number < 1 || number > 65535) {
      throw new InvalidNodeException(
          path + "." + key + " must be a port in 1..65535, got " + number);
    }
    return (int) number;
  }

  /** The constant of {@code type} named by {@code text}, in any case, or a message listing them. */
  private static <E extends Enum<E>> E oneOf(Class<E> type, String text, String path)
      throws InvalidNodeException {
    try {
      return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidNodeException(
          path
              + " must be "
              + Arrays.stream(type.getEnumConstants())
                  .map(Enum::name)
                  .collect(Collectors.joining(" or "))
              + ", got \""
              + text.toUpperCase(Locale.ROOT)
              + "\"");
    }
  }
}
