package io.wasmplane.operator.module;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * What a pull secret holds for one registry: a user name and password, an identity token (an OAuth2
 * refresh token for the registry's token service), or a registry token (a bearer token as is).
 *
 * @param username registry user, or null
 * @param password registry password, or null
 * @param identityToken the {@code identitytoken}, or null
 * @param registryToken the {@code registrytoken}, or null
 */
public record RegistryCredentials(
    String username, String password, String identityToken, String registryToken) {

  /** A user name and password. */
  public RegistryCredentials(String username, String password) {
    this(username, password, null, null);
  }

  /** Whether a user name and password are present, to be sent as basic auth. */
  public boolean hasPassword() {
    return username != null && !username.isEmpty() && password != null && !password.isEmpty();
  }

  /** The basic auth header value for the user name and password, or null when there are none. */
  String basic() {
    return hasPassword()
        ? "Basic "
            + Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8))
        : null;
  }

  /**
   * A SHA-256 of the credentials, never the credentials themselves: of {@code user:password} for a
   * password, with the tokens added when there are any.
   */
  public String fingerprint() {
    String text = username + ":" + password;
    if (identityToken != null || registryToken != null) {
      text += "\nidentitytoken:" + identityToken + "\nregistrytoken:" + registryToken;
    }
    return WasmBytes.sha256Hex(text.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "RegistryCredentials[username="
        + username
        + ", password=***"
        + (identityToken == null ? "" : ", identitytoken=***")
        + (registryToken == null ? "" : ", registrytoken=***")
        + "]";
  }
}
