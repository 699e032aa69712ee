package io.wasmplane.crd;

import static org.assertj.core.api.Assertions.assertThat;

import io.wasmplane.testbed.Toolchain;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CrdFileTest {
  @Test
  void trafficExtensionCrdIsTheSameInTheJarDeployAndTheChart() throws Exception {
    Path root = Toolchain.repoRoot();
    String source = Files.readString(root.resolve("crd/" + TrafficExtensionCrd.RESOURCE_PATH));
    assertThat(TrafficExtensionCrd.yaml()).isEqualTo(source);
    assertThat(Files.readString(root.resolve("deploy/crds/" + TrafficExtensionCrd.FILE_NAME)))
        .as("deploy/crds/%s must be a copy of the CRD in crd/", TrafficExtensionCrd.FILE_NAME)
        .isEqualTo(source);
    assertThat(
            Files.readString(root.resolve("charts/wasmplane/crd/" + TrafficExtensionCrd.FILE_NAME)))
        .as("the chart's copy of the CRD must equal the one in crd/")
        .isEqualTo(source);
  }

  @Test
  void chartInstallsBothCrdsOnlyWhenInstallCrdIsSet() throws Exception {
    String template =
        Files.readString(Toolchain.repoRoot().resolve("charts/wasmplane/templates/crd.yaml"));
    String guarded =
        template.substring(
            template.indexOf("{{- if .Values.installCRD }}"), template.lastIndexOf("{{- end }}"));
    assertThat(guarded)
        .contains("{{ .Files.Get \"crd/" + WasmPluginCrd.FILE_NAME + "\" }}")
        .contains("{{ .Files.Get \"crd/" + TrafficExtensionCrd.FILE_NAME + "\" }}");
  }

  @Test
  void deployCopyOfTheCrdIsIdenticalToTheSource() throws Exception {
    Path root = Toolchain.repoRoot();
    String source = Files.readString(root.resolve("crd/" + WasmPluginCrd.RESOURCE_PATH));
    String deployed = Files.readString(root.resolve("deploy/crds/" + WasmPluginCrd.FILE_NAME));
    assertThat(deployed)
        .as("deploy/crds/%s must be a copy of the CRD in crd/", WasmPluginCrd.FILE_NAME)
        .isEqualTo(source);
    assertThat(WasmPluginCrd.yaml()).isEqualTo(source);
    assertThat(Files.readString(root.resolve("charts/wasmplane/crd/" + WasmPluginCrd.FILE_NAME)))
        .as("the chart's copy of the CRD must equal the one in crd/")
        .isEqualTo(source);
  }
}
