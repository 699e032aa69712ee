package io.wasmplane.operator.plugin;

import java.util.Set;

/**
 * One entry of a plugin's {@code match}.
 *
 * @param mode which listener directions it selects
 * @param ports ports it selects; empty means every port
 */
public record TrafficSelector(TrafficMode mode, Set<Integer> ports) {
  public TrafficSelector {
    ports = Set.copyOf(ports);
  }
}
