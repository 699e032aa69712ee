package io.wasmplane.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.FieldSource;

/** Pins the xDS security and fetch-bound flags: their defaults, forms, errors and usage text. */
class CliOptionsTest {
  /** Every flag the parser accepts. */
  static final List<String> FLAGS =
      List.of(
          "-h",
          "--help",
          "--config-dir",
          "--xds-port",
          "--http-port",
          "--bind-address",
          "--root-namespace",
          "--log-level",
          "--module-cache-dir",
          "--module-cache-max-bytes",
          "--insecure-registry",
          "--module-ca-file",
          "--module-delivery",
          "--kubeconfig",
          "--namespaces",
          "--leader-election-namespace",
          "--xds-tls-cert",
          "--xds-tls-key",
          "--xds-client-ca",
          "--xds-plaintext",
          "--xds-auth",
          "--xds-token-audience",
          "--xds-max-connection-age",
          "--xds-max-streams-per-proxy",
          "--xds-service",
          "--xds-tls-secret",
          "--sidecar-bootstrap-configmap",
          "--xds-tls-external-issuer",
          "--module-max-bytes",
          "--fetch-deny-cidr");

  private static CliOptions parse(String... args) {
    return CliOptions.parse(List.of(args));
  }

  @Test
  void defaults() {
    CliOptions options = parse();

    var xds = options.xds();
    assertThat(xds.maxConnectionAge()).isEqualTo(Duration.ofMinutes(30));
    assertThat(xds.maxStreamsPerProxy()).isEqualTo(4);
    assertThat(xds.tokenAudience()).isEqualTo("wasmplane");
    assertThat(xds.auth()).isNull();
    assertThat(xds.plaintext()).isFalse();
    assertThat(xds.tlsCert()).isNull();
    assertThat(xds.tlsKey()).isNull();
    assertThat(xds.clientCa()).isNull();
    assertThat(xds.service()).isEqualTo("wasmplane");
    assertThat(xds.tlsSecret()).isEqualTo("wasmplane-xds-tls");
    assertThat(xds.bootstrapConfigMap()).isEqualTo("wasmplane-sidecar-bootstrap");
    assertThat(xds.externalIssuer()).isFalse();
    assertThat(options.fetch().moduleMaxBytes()).isEqualTo(256L * 1024 * 1024);
    assertThat(options.fetch().denyCidrs()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"false", "true"})
  void theNewFlagsParseWithAndWithoutEquals(boolean equals) {
    List<String> pairs =
        List.of(
            "--xds-tls-cert", "/tls/tls.crt",
            "--xds-tls-key", "/tls/tls.key",
            "--xds-client-ca", "/tls/ca.crt",
            "--xds-auth", "mtls",
            "--xds-token-audience", "mesh",
            "--xds-max-connection-age", "90s",
            "--xds-max-streams-per-proxy", "2",
            "--module-max-bytes", "64Mi",
            "--fetch-deny-cidr", "10.0.0.0/8",
            "--fetch-deny-cidr", "fd00::/8");
    List<String> args = new java.util.ArrayList<>();
    for (int i = 0; i < pairs.size(); i += 2) {
      if (equals) {
        args.add(pairs.get(i) + "=" + pairs.get(i + 1));
      } else {
        args.addAll(pairs.subList(i, i + 2));
      }
    }

    CliOptions options = CliOptions.parse(args);

    var xds = options.xds();
    assertThat(xds.tlsCert()).isEqualTo(Path.of("/tls/tls.crt"));
    assertThat(xds.tlsKey()).isEqualTo(Path.of("/tls/tls.key"));
    assertThat(xds.clientCa()).isEqualTo(Path.of("/tls/ca.crt"));
    assertThat(xds.plaintext()).isFalse();
    assertThat(xds.auth()).isEqualTo("mtls");
    assertThat(xds.tokenAudience()).isEqualTo("mesh");
    assertThat(xds.maxConnectionAge()).isEqualTo(Duration.ofSeconds(90));
    assertThat(xds.maxStreamsPerProxy()).isEqualTo(2);
    assertThat(options.fetch().moduleMaxBytes()).isEqualTo(64L << 20);
    assertThat(options.fetch().denyCidrs()).containsExactly("10.0.0.0/8", "fd00::/8");
  }

  @Test
  void plaintextAndExternalIssuerAreFlagsWithoutValue() {
    assertThat(parse("--xds-plaintext").xds().plaintext()).isTrue();
    assertThat(parse("--xds-tls-external-issuer").xds().externalIssuer()).isTrue();
    assertThat(parse("--xds-plaintext", "--xds-auth", "none").xds().auth()).isEqualTo("none");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"token", "mtls", "none"})
  void everyAuthModeParses(String mode) {
    assertThat(
            parse(
                    "--xds-auth=" + mode,
                    "--xds-client-ca=/ca",
                    "--xds-tls-cert=/c",
                    "--xds-tls-key=/k")
                .xds()
                .auth())
        .isEqualTo(mode);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"500ms, 500", "90s, 90000", "10m, 600000", "1h, 3600000"})
  void durations(String text, long millis) {
    assertThat(parse("--xds-max-connection-age", text).xds().maxConnectionAge())
        .isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "0, 0",
    "1024, 1024",
    "8Ki, 8192",
    "256Mi, 268435456",
    "2Gi, 2147483648",
    "8589934591Gi, 9223372035781033984",
    "9223372036854775807, 9223372036854775807"
  })
  void moduleMaxBytes(String text, long bytes) {
    assertThat(parse("--module-max-bytes", text).fetch().moduleMaxBytes()).isEqualTo(bytes);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "--xds-tls-cert /c | --xds-tls-cert and --xds-tls-key go together",
        "--xds-tls-key /k | --xds-tls-cert and --xds-tls-key go together",
        "--xds-client-ca /ca | --xds-client-ca needs --xds-tls-cert and --xds-tls-key",
        "--xds-client-ca /ca --xds-tls-key /k | --xds-tls-cert and --xds-tls-key go together",
        "--xds-plaintext --xds-tls-cert /c --xds-tls-key /k"
            + " | --xds-plaintext contradicts --xds-tls-cert",
        "--xds-plaintext=false | --xds-plaintext takes no value, got --xds-plaintext=false",
        "--xds-tls-external-issuer=no | --xds-tls-external-issuer takes no value, got"
            + " --xds-tls-external-issuer=no",
        "--module-max-bytes 9999999999Gi | --module-max-bytes is too large, got 9999999999Gi",
        "--module-max-bytes 9223372036854775808 | --module-max-bytes is too large, got"
            + " 9223372036854775808",
        "--module-max-bytes 99999999999999999999 | --module-max-bytes is too large, got"
            + " 99999999999999999999",
        "--module-cache-max-bytes 8589934592Gi | --module-cache-max-bytes is too large, got"
            + " 8589934592Gi",
        "--xds-auth oauth | --xds-auth must be token, mtls or none, got oauth",
        "--xds-auth=TOKEN | --xds-auth must be token, mtls or none, got TOKEN",
        "--xds-auth | --xds-auth needs a value",
        "--xds-auth --xds-plaintext | --xds-auth needs a value",
        "--config-dir /d --xds-auth mtls | --xds-auth=mtls needs --xds-client-ca",
        "--xds-max-connection-age 10 | --xds-max-connection-age must be a duration such as 500ms,"
            + " 90s, 10m or 1h, got 10",
        "--xds-max-connection-age 1d | --xds-max-connection-age must be a duration such as 500ms,"
            + " 90s, 10m or 1h, got 1d",
        "--xds-max-connection-age 1.5h | --xds-max-connection-age must be a duration such as"
            + " 500ms, 90s, 10m or 1h, got 1.5h",
        "--xds-max-connection-age 0s | --xds-max-connection-age must be longer than zero, got 0s",
        "--xds-max-connection-age 99999999999999999999h | --xds-max-connection-age is too long,"
            + " got 99999999999999999999h",
        "--xds-max-streams-per-proxy 0 | --xds-max-streams-per-proxy must be a positive number,"
            + " got 0",
        "--xds-max-streams-per-proxy many | --xds-max-streams-per-proxy must be a positive number,"
            + " got many",
        "--module-max-bytes 1GB | --module-max-bytes must be a number of bytes, optionally with Ki,"
            + " Mi or Gi, got 1GB",
        "--fetch-deny-cidr | --fetch-deny-cidr needs a value",
        "--xds-tls | unknown flag --xds-tls",
      })
  void errorsSayWhatIsWrong(String args, String message) {
    assertThatThrownBy(() -> CliOptions.parse(List.of(args.split(" "))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void theUsageNamesExactlyTheFlagsTheParserAccepts() {
    Matcher mentioned = Pattern.compile("(?<![\\w-])--?[a-z][a-z-]*").matcher(CliOptions.USAGE);
    java.util.Set<String> inUsage = new java.util.TreeSet<>();
    while (mentioned.find()) {
      inUsage.add(mentioned.group());
    }

    assertThat(inUsage).containsExactlyInAnyOrderElementsOf(FLAGS);
  }

  @ParameterizedTest(name = "{0}")
  @FieldSource("FLAGS")
  void everyListedFlagIsAccepted(String flag) {
    IllegalArgumentException error =
        catchThrowableOfType(IllegalArgumentException.class, () -> parse(flag, "1"));
    if (error != null) {
      assertThat(error.getMessage()).isNotEqualTo("unknown flag " + flag);
    }
    assertThat(CliOptions.USAGE).contains(flag);
  }
}
