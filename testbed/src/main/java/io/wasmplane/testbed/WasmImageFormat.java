package io.wasmplane.testbed;

/** The three ways a Wasm module is packaged as an image in a registry. */
public enum WasmImageFormat {
  /**
   * OCI manifest with one layer of type {@code application/vnd.module.wasm.content.layer.v1+wasm}.
   */
  OCI_WASM_LAYER,
  /** OCI image whose last layer is a tar.gz holding {@code plugin.wasm}. */
  OCI_IMAGE_TAR,
  /** Docker schema 2 image whose last layer is a tar.gz holding {@code plugin.wasm}. */
  DOCKER_IMAGE_TAR
}
