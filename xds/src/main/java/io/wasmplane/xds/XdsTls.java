package io.wasmplane.xds;

import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * TLS server credentials for the xDS port from PEM files, re-read every few seconds so that a
 * rotated certificate (or client CA) is served without a restart.
 */
public final class XdsTls {
  /** How often the files are read again. */
  static final long RELOAD_SECONDS = 5;

  private XdsTls() {}

  /**
   * Credentials serving {@code certificate} with {@code key} (PKCS#8 PEM); with {@code clientCa},
   * every client must present a certificate signed by one of its CAs.
   *
   * @throws IllegalArgumentException when a file cannot be read or parsed, with a message for the
   *     user
   */
  public static ServerCredentials credentials(
      Path certificate, Path key, Path clientCa, ScheduledExecutorService reloads) {
    try {
      ReloadingKeys keys = new ReloadingKeys(certificate, key);
      reloads.scheduleWithFixedDelay(
          keys::reload, RELOAD_SECONDS, RELOAD_SECONDS, TimeUnit.SECONDS);
      TlsServerCredentials.Builder builder = TlsServerCredentials.newBuilder().keyManager(keys);
      if (clientCa != null) {
        ReloadingTrust trust = new ReloadingTrust(clientCa);
        reloads.scheduleWithFixedDelay(
            trust::reload, RELOAD_SECONDS, RELOAD_SECONDS, TimeUnit.SECONDS);
        builder.trustManager(trust).clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
      }
      return builder.build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the xDS TLS files: " + e.getMessage(), e);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IllegalArgumentException(
          "cannot use the xDS TLS files "
              + certificate
              + ", "
              + key
              + (clientCa == null ? "" : ", " + clientCa)
              + ": "
              + e.getMessage(),
          e);
    }
  }
}
