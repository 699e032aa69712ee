package io.wasmplane.crd;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.wasmplane.testbed.CommandResult;
import io.wasmplane.testbed.KubeApiServer;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/** What the conformance ITs do on the apiserver: make the cases' namespaces, dry-run apply. */
final class ConformanceRun {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private ConformanceRun() {}

  /** Creates every namespace {@code cases} name, once. */
  static void createNamespaces(KubeApiServer api, Stream<ConformanceCase> cases) throws Exception {
    Set<String> namespaces = new TreeSet<>();
    for (ConformanceCase c : cases.toList()) {
      String namespace = YAML.readTree(c.yaml()).path("metadata").path("namespace").asText("");
      if (!namespace.isEmpty()) {
        namespaces.add(namespace);
      }
    }
    for (String namespace : namespaces) {
      CommandResult created = api.kubectl(null, "create", "namespace", namespace);
      if (!created.ok() && !created.stderr().contains("AlreadyExists")) {
        created.orThrow();
      }
    }
  }

  /** What the Java validator of the document's kind says of {@code yaml}. */
  static java.util.List<Violation> validate(String yaml) throws Exception {
    com.fasterxml.jackson.databind.JsonNode resource = YAML.readTree(yaml);
    return TrafficExtensionCrd.KIND.equals(resource.path("kind").asText())
        ? TrafficExtensionValidator.validate(resource)
        : WasmPluginValidator.validate(resource);
  }

  /** Every conformance case, of both kinds. */
  static Stream<ConformanceCase> allKinds() {
    return Stream.concat(ConformanceCase.all(), ConformanceCase.trafficExtensions());
  }

  /** A resource of {@code kind} named {@code name} in namespace default with {@code spec}. */
  static String resource(String kind, String name, String spec) {
    return """
        apiVersion: extensions.istio.io/v1alpha1
        kind: %s
        metadata:
          name: %s
          namespace: default
        spec:
        %s"""
        .formatted(kind, name, spec.indent(2));
  }

  /** {@code kubectl apply --dry-run=server} of {@code yaml}: the apiserver's verdict. */
  static CommandResult dryRunApply(KubeApiServer api, String yaml) {
    return api.kubectl(yaml, "apply", "--dry-run=server", "-f", "-");
  }
}
