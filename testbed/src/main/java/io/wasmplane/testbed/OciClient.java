package io.wasmplane.testbed;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** A small Docker Registry v2 client for tests: pushes and reads blobs and manifests. */
public final class OciClient {
  private static final String ACCEPT =
      String.join(
          ", ",
          "application/vnd.oci.image.manifest.v1+json",
          "application/vnd.docker.distribution.manifest.v2+json");
  private final String base;
  private final String authorization;
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NORMAL)
          .build();

  OciClient(String base, String user, String password) {
    this.base = base;
    this.authorization =
        user == null
            ? null
            : "Basic "
                + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** Uploads a blob in one request and returns its digest ({@code sha256:...}). */
  public String pushBlob(String repository, byte[] content) throws IOException {
    String digest = "sha256:" + Digests.sha256Hex(content);
    HttpResponse<String> start =
        send(
            request("/v2/" + repository + "/blobs/uploads/")
                .POST(HttpRequest.BodyPublishers.noBody()),
            HttpResponse.BodyHandlers.ofString());
    expect(start, 202, "start upload");
    String location = start.headers().firstValue("Location").orElseThrow();
    URI uri = URI.create(base).resolve(location);
    String put = uri + (uri.getQuery() == null ? "?" : "&") + "digest=" + digest;
    HttpResponse<String> done =
        send(
            authorized(HttpRequest.newBuilder(URI.create(put)))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content)),
            HttpResponse.BodyHandlers.ofString());
    expect(done, 201, "finish upload");
    return digest;
  }

  /** Uploads a manifest under {@code reference} (a tag) and returns its digest. */
  public String pushManifest(String repository, String reference, String mediaType, byte[] json)
      throws IOException {
    HttpResponse<String> response =
        send(
            request("/v2/" + repository + "/manifests/" + reference)
                .header("Content-Type", mediaType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(json)),
            HttpResponse.BodyHandlers.ofString());
    expect(response, 201, "push manifest");
    return "sha256:" + Digests.sha256Hex(json);
  }

  /** Reads a manifest by tag or digest. */
  public HttpResponse<byte[]> manifest(String repository, String reference) throws IOException {
    return send(
        request("/v2/" + repository + "/manifests/" + reference).header("Accept", ACCEPT).GET(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  /** Reads a blob by digest. */
  public HttpResponse<byte[]> blob(String repository, String digest) throws IOException {
    return send(
        request("/v2/" + repository + "/blobs/" + digest).GET(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private HttpRequest.Builder request(String path) {
    return authorized(HttpRequest.newBuilder(URI.create(base + path)));
  }

  private HttpRequest.Builder authorized(HttpRequest.Builder builder) {
    builder.timeout(Duration.ofSeconds(30));
    return authorization == null ? builder : builder.header("Authorization", authorization);
  }

  private <T> HttpResponse<T> send(HttpRequest.Builder builder, HttpResponse.BodyHandler<T> body)
      throws IOException {
    try {
      return http.send(builder.build(), body);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private static void expect(HttpResponse<String> response, int status, String what)
      throws IOException {
    if (response.statusCode() != status) {
      throw new IOException(
          what
              + ": HTTP "
              + response.statusCode()
              + " from "
              + response.uri()
              + ": "
              + response.body());
    }
  }
}
