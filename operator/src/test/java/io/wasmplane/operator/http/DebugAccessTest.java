package io.wasmplane.operator.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Pins who may read the debug views: loopback callers only. */
class DebugAccessTest {
  @ParameterizedTest
  @CsvSource({
    "127.0.0.1, true",
    "127.0.0.2, true",
    "::1, true",
    "10.1.2.3, false",
    "192.0.2.7, false",
    "169.254.169.254, false",
    "fd00::2, false",
    "0.0.0.0, false"
  })
  void onlyLoopbackCallersMayRead(String address, boolean allowed) throws Exception {
    assertThat(DebugAccess.allows(InetAddress.getByName(address))).isEqualTo(allowed);
  }

  @org.junit.jupiter.api.Test
  void anUnknownCallerMayNotRead() {
    assertThat(DebugAccess.allows(null)).isFalse();
  }
}
