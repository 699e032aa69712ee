package io.wasmplane.operator.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void sortsKeysDropsWhitespaceAndPrintsIntegralNumbersWithoutFraction() throws Exception {
    String yaml =
        """
        zeta: {b: 1.0, a: [3, 2.50, -0.0, 1e3]}
        alpha: "q\\"uote"
        n: null
        t: true
        """;

    assertThat(CanonicalJson.write(YAML.readTree(yaml)))
        .isEqualTo(
            "{\"alpha\":\"q\\\"uote\",\"n\":null,\"t\":true,\"zeta\":{\"a\":[3,2.5,0,1000],\"b\":1}}");
  }

  @Test
  void yamlAndSortedJsonFromTheApiserverGiveTheSameText() throws Exception {
    String fromFile = CanonicalJson.write(YAML.readTree("b: 2\na: {y: 1.0, x: text}\n"));
    String fromApiserver =
        CanonicalJson.write(JSON.readTree("{\"a\":{\"x\":\"text\",\"y\":1},\"b\":2}"));

    assertThat(fromFile).isEqualTo(fromApiserver);
  }
}
