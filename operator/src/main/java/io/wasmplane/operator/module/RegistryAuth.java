package io.wasmplane.operator.module;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wasmplane.crd.ImageReference;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a registry's {@code WWW-Authenticate} challenge for one pull: basic auth, a registry
 * token as the bearer token, or a bearer token from the challenge's token service, asked with basic
 * auth or, for an identity token, with the OAuth2 refresh-token grant. Credentials go to a token
 * service only over https or on the registry's own host; otherwise the token is asked anonymously.
 */
final class RegistryAuth {
  private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger LOG = LoggerFactory.getLogger(RegistryAuth.class);

  private final HttpTransport http;
  private final ImageReference image;
  private final URI registry;
  private final RegistryCredentials credentials;

  /** A token service the credentials were kept from, if any. */
  private String withheldFrom;

  RegistryAuth(
      HttpTransport http, ImageReference image, URI registry, RegistryCredentials credentials) {
    this.http = http;
    this.image = image;
    this.registry = registry;
    this.credentials = credentials;
  }

  /** The Authorization header value that answers {@code challenge} (which may be null). */
  String answer(String challenge) throws FetchException {
    boolean basicChallenge = challenge == null || challenge.regionMatches(true, 0, "Basic", 0, 5);
    if (credentials == null && basicChallenge) {
      throw new FetchException(
          "RegistryUnauthorized",
          "registry "
              + image.registry()
              + " requires credentials for "
              + image
              + "; set imagePullSecret",
          false);
    }
    if (credentials != null && credentials.registryToken() != null) {
      return "Bearer " + credentials.registryToken();
    }
    String basic = credentials == null ? null : credentials.basic();
    if (basicChallenge) {
      return basic;
    }
    if (!challenge.regionMatches(true, 0, "Bearer", 0, 6)) {
      throw new FetchException(
          "RegistryUnauthorized",
          "registry " + image.registry() + " asks for unsupported auth: " + challenge,
          false);
    }
    return "Bearer " + token(challenge, basic);
  }

  /** A note for an authorization failure when the credentials were withheld, or empty. */
  String withheldNote() {
    return withheldFrom == null
        ? ""
        : " (the credentials were not sent to token service "
            + withheldFrom
            + ": plain http on another host than the registry)";
  }

  private String token(String challenge, String basic) throws FetchException {
    Map<String, String> params = new HashMap<>();
    Matcher m = PARAM.matcher(challenge);
    while (m.find()) {
      params.put(m.group(1), m.group(2));
    }
    String realm = params.get("realm");
    if (realm == null) {
      throw new FetchException(
          "RegistryUnauthorized", "bearer challenge without realm: " + challenge, false);
    }
    String service = params.get("service");
    String scope = params.getOrDefault("scope", "repository:" + image.repository() + ":pull");
    Map<String, String> query = new LinkedHashMap<>();
    if (service != null) {
      query.put("service", service);
    }
    query.put("scope", scope);
    URI tokenUri;
    try {
      tokenUri = URI.create(realm + (realm.contains("?") ? "&" : "?") + form(query));
    } catch (IllegalArgumentException e) {
      throw new FetchException(
          "RegistryUnauthorized", "bearer challenge with an invalid realm: " + realm, false);
    }
    boolean hasSecret =
        credentials != null && (basic != null || credentials.identityToken() != null);
    boolean mayReceive = OciModuleFetcher.mayReceiveCredentials(tokenUri, registry);
    if (hasSecret && !mayReceive) {
      withheldFrom = realm;
      LOG.warn(
          "asking token service {} for a token for {} anonymously: it is plain http on another"
              + " host than the registry, so the pull secret's credentials are not sent to it",
          realm,
          image);
    }
    HttpTransport.Response token = null;
    if (hasSecret && mayReceive && credentials.identityToken() != null) {
      Map<String, String> grant = new LinkedHashMap<>();
      grant.put("grant_type", "refresh_token");
      grant.put("refresh_token", credentials.identityToken());
      if (service != null) {
        grant.put("service", service);
      }
      grant.put("scope", scope);
      grant.put("client_id", "wasmplane");
      token = http.post(URI.create(realm), Map.of(), form(grant));
      // A token service without the OAuth2 endpoint answers 404; then ask as below.
      token = token.status() == 404 ? null : token;
    }
    if (token == null) {
      Map<String, String> headers =
          basic != null && mayReceive ? Map.of("Authorization", basic) : Map.of();
      token = http.get(tokenUri, headers);
    }
    if (token.status() != 200) {
      throw new FetchException(
          "RegistryUnauthorized",
          "token service "
              + realm
              + " answered HTTP "
              + token.status()
              + " for "
              + image
              + withheldNote(),
          token.status() >= 500);
    }
    JsonNode body;
    try {
      body = JSON.readTree(token.body());
    } catch (IOException e) {
      throw new FetchException("InvalidImage", "token response is not JSON", false);
    }
    String value = body.path("token").asText(body.path("access_token").asText(""));
    if (value.isEmpty()) {
      throw new FetchException(
          "RegistryUnauthorized", "token service " + realm + " returned no token", false);
    }
    return value;
  }

  private static String form(Map<String, String> fields) {
    StringBuilder out = new StringBuilder();
    fields.forEach(
        (name, value) ->
            out.append(out.length() == 0 ? "" : "&")
                .append(name)
                .append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
    return out.toString();
  }
}
