package io.wasmplane.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wasmplane.crd.Conditions;
import io.wasmplane.operator.status.PluginStatus.Condition;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which condition changes become an Event. */
class ConditionEventsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest(name = "{0}: {1} -> {2}: event {3}")
  @CsvSource({
    "Programmed,  '',      True,    false",
    "Programmed,  '',      False,   true",
    "Programmed,  '',      Unknown, false",
    "Programmed,  Unknown, True,    true",
    "Programmed,  True,    True,    false",
    "Programmed,  True,    False,   true",
    "Programmed,  False,   Unknown, false",
    "ModuleReady, True,    False,   true",
    "ModuleReady, False,   True,    true",
    "Accepted,    False,   True,    false",
    "Accepted,    '',      False,   true",
    "Accepted,    False,   False,   false",
  })
  void eventOnlyForAChangeWorthTelling(String type, String before, String after, boolean event)
      throws Exception {
    JsonNode previous =
        before.isEmpty()
            ? JSON.readTree("{}")
            : JSON.readTree(
                "{\"conditions\":[{\"type\":\"" + type + "\",\"status\":\"" + before + "\"}]}");
    Condition condition = new Condition(type, after, "Reason", "message");
    PluginStatus status = new PluginStatus(List.of(condition), null, null, null, 1);
    assertThat(ConditionEvents.worthAnEvent(previous, status))
        .isEqualTo(event ? List.of(condition) : List.of());
  }

  @Test
  void noPreviousStatusMeansNoPreviousCondition() {
    Condition failed = new Condition(Conditions.MODULE_READY, "False", "FetchFailed", "404");
    assertThat(
            ConditionEvents.worthAnEvent(
                null, new PluginStatus(List.of(failed), null, null, null, 1)))
        .containsExactly(failed);
  }
}
