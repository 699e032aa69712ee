package io.wasmplane.operator.module;

import static io.wasmplane.testbed.Archives.gzip;
import static io.wasmplane.testbed.Archives.tar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** http(s) modules packed in gzip, tar or tar.gz are unpacked within the size limit. */
class ModuleArchiveTest {
  private static final byte[] WASM = {0, 'a', 's', 'm', 1, 0, 0, 0, 42};
  private static final byte[] OTHER_WASM = {0, 'a', 's', 'm', 1, 0, 0, 0, 7};
  private static final byte[] README = "read me".getBytes(StandardCharsets.UTF_8);

  private static Map<String, byte[]> files(Object... namesAndContents) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (int i = 0; i < namesAndContents.length; i += 2) {
      files.put((String) namesAndContents[i], (byte[]) namesAndContents[i + 1]);
    }
    return files;
  }

  static Stream<Arguments> packings() {
    UnaryOperator<byte[]> tarOfOne = b -> tar(files("filter.wasm", b));
    return Stream.of(
        Arguments.of("plain wasm", (UnaryOperator<byte[]>) b -> b),
        Arguments.of("gzip", (UnaryOperator<byte[]>) b -> gzip(b)),
        Arguments.of("gzip of gzip", (UnaryOperator<byte[]>) b -> gzip(gzip(b))),
        Arguments.of("tar of one file", tarOfOne),
        Arguments.of(
            "tar of one file of any name", (UnaryOperator<byte[]>) b -> tar(files("m", b))),
        Arguments.of("tar.gz", (UnaryOperator<byte[]>) b -> gzip(tarOfOne.apply(b))),
        Arguments.of(
            "tar with plugin.wasm among others",
            (UnaryOperator<byte[]>)
                b -> tar(files("a.wasm", OTHER_WASM, "plugin.wasm", b, "README", README))),
        Arguments.of(
            "tar.gz with one .wasm and a README",
            (UnaryOperator<byte[]>) b -> gzip(tar(files("README", README, "./dist/f.wasm", b)))),
        Arguments.of(
            "tar holding a .wasm.gz",
            (UnaryOperator<byte[]>) b -> tar(files("f.wasm.gz", gzip(b)))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("packings")
  void unpacksTheModule(String name, UnaryOperator<byte[]> pack) throws Exception {
    assertThat(ModuleArchive.unpack(pack.apply(WASM), "https://h/f", 1 << 20)).isEqualTo(WASM);
  }

  @Test
  void somethingElseIsLeftAsItIsForTheWasmCheck() throws Exception {
    byte[] html = "<html>not found</html>".getBytes(StandardCharsets.UTF_8);

    assertThat(ModuleArchive.unpack(html, "https://h/f", 1 << 20)).isEqualTo(html);
    assertThat(ModuleArchive.unpack(gzip(html), "https://h/f", 1 << 20)).isEqualTo(html);
  }

  @Test
  void anAmbiguousTarIsRefusedSayingWhy() {
    assertThatThrownBy(
            () ->
                ModuleArchive.unpack(
                    tar(files("a.wasm", WASM, "b.wasm", OTHER_WASM)), "https://h/f.tar", 1 << 20))
        .isInstanceOfSatisfying(
            FetchException.class, e -> assertThat(e.reason()).isEqualTo("InvalidArchive"))
        .hasMessage(
            "https://h/f.tar is a tar with 2 .wasm files [a.wasm, b.wasm] and no plugin.wasm, so"
                + " which module to use is ambiguous; put one module in it, or name it"
                + " plugin.wasm");
    assertThatThrownBy(
            () ->
                ModuleArchive.unpack(
                    tar(files("README", README, "LICENSE", README)), "https://h/f.tar", 1 << 20))
        .hasMessageContaining("is a tar with no .wasm file and no plugin.wasm");
  }

  @Test
  void aBrokenGzipIsInvalid() {
    byte[] packed = gzip(WASM);
    byte[] truncated = Arrays.copyOf(packed, packed.length - 6);

    assertThatThrownBy(() -> ModuleArchive.unpack(truncated, "https://h/f.wasm.gz", 1 << 20))
        .isInstanceOfSatisfying(
            FetchException.class, e -> assertThat(e.reason()).isEqualTo("InvalidArchive"))
        .hasMessageStartingWith("https://h/f.wasm.gz is not a valid gzip: ");
  }

  @Test
  void theLimitAppliesToTheUnpackedModule() throws Exception {
    byte[] big = Arrays.copyOf(WASM, 64 * 1024);
    byte[] packed = gzip(big);
    assertThat(packed.length).isLessThan(1024);

    assertThat(ModuleArchive.unpack(packed, "u", 64 * 1024)).isEqualTo(big);
    for (byte[] archive :
        new byte[][] {packed, tar(files("f.wasm", big)), gzip(tar(files("f.wasm", big)))}) {
      assertThatThrownBy(() -> ModuleArchive.unpack(archive, "https://h/f", 64 * 1024 - 1))
          .isInstanceOfSatisfying(
              FetchException.class,
              e -> {
                assertThat(e.reason()).isEqualTo("ModuleTooLarge");
                assertThat(e.getMessage())
                    .isEqualTo("https://h/f unpacks to more than the limit of 65535 bytes");
              });
    }
  }

  @Test
  void aGzipBombIsRefusedWithoutReadingItAll() throws Exception {
    // 256 gzip members of 1 MiB of zeros each: 256 MiB once unpacked, about 256 KiB packed.
    byte[] member = gzip(new byte[1 << 20]);
    ByteArrayOutputStream bomb = new ByteArrayOutputStream();
    for (int i = 0; i < 256; i++) {
      bomb.writeBytes(member);
    }
    byte[] packed = bomb.toByteArray();
    long[] consumed = {0};
    InputStream counting =
        new FilterInputStream(new ByteArrayInputStream(packed)) {
          @Override
          public int read(byte[] buffer, int offset, int length) throws java.io.IOException {
            int n = super.read(buffer, offset, length);
            consumed[0] += Math.max(n, 0);
            return n;
          }
        };

    assertThatThrownBy(() -> ModuleArchive.gunzip(counting, "https://h/bomb.gz", 2 << 20))
        .isInstanceOfSatisfying(
            FetchException.class, e -> assertThat(e.reason()).isEqualTo("ModuleTooLarge"));
    assertThat(consumed[0]).as("packed bytes read").isLessThan(packed.length / 16);
    assertThatThrownBy(() -> ModuleArchive.unpack(packed, "https://h/bomb.gz", 2 << 20))
        .hasMessage("https://h/bomb.gz unpacks to more than the limit of 2097152 bytes");
  }
}
