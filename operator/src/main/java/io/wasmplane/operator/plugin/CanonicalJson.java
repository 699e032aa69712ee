package io.wasmplane.operator.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * Writes JSON in one canonical form: object keys sorted, no insignificant whitespace, and integral
 * numbers without a fraction ({@code 1}, never {@code 1.0}). The same plugin configuration thus
 * yields the same text, and the same Envoy config, from a directory or from the apiserver.
 */
public final class CanonicalJson {
  private CanonicalJson() {}

  public static String write(JsonNode node) {
    StringBuilder out = new StringBuilder();
    write(node, out);
    return out.toString();
  }

  private static void write(JsonNode node, StringBuilder out) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      out.append("null");
    } else if (node.isObject()) {
      List<String> keys = new ArrayList<>();
      node.fieldNames().forEachRemaining(keys::add);
      Collections.sort(keys);
      out.append('{');
      for (int i = 0; i < keys.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        out.append(TextNode.valueOf(keys.get(i)));
        out.append(':');
        write(node.get(keys.get(i)), out);
      }
      out.append('}');
    } else if (node.isArray()) {
      out.append('[');
      Iterator<JsonNode> items = node.elements();
      boolean first = true;
      while (items.hasNext()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        write(items.next(), out);
      }
      out.append(']');
    } else if (node.isNumber()) {
      out.append(number(node));
    } else if (node.isTextual()) {
      out.append(TextNode.valueOf(node.asText()));
    } else if (node.isBoolean()) {
      out.append(node.asBoolean());
    } else {
      out.append(JsonNodeFactory.instance.textNode(node.asText()));
    }
  }

  private static String number(JsonNode node) {
    if (node.isIntegralNumber()) {
      return node.bigIntegerValue().toString();
    }
    BigDecimal value = node.decimalValue();
    if (value.signum() == 0) {
      return "0";
    }
    BigDecimal stripped = value.stripTrailingZeros();
    return stripped.scale() <= 0
        ? stripped.toBigIntegerExact().toString()
        : stripped.toPlainString();
  }
}
