package io.wasmplane.operator.module;

/**
 * A user name and password for one registry, from a pull secret.
 *
 * @param username registry user
 * @param password registry password or token
 */
public record RegistryCredentials(String username, String password) {
  @Override
  public String toString() {
    return "RegistryCredentials[username=" + username + ", password=***]";
  }
}
