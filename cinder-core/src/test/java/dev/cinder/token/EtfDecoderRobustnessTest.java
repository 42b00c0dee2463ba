package dev.cinder.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.cinder.internal.token.Etf;
import dev.cinder.internal.token.EtfException;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The decoder reads untrusted bytes: it must fail with {@link EtfException} and nothing else. */
class EtfDecoderRobustnessTest {
  private static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex.replace(" ", ""));
  }

  /** Decodes, accepting success or EtfException; any other throwable fails the test. */
  private static void decodeQuietly(byte[] input) {
    try {
      Etf.decode(input);
    } catch (EtfException expected) {
      // fine
    } catch (Throwable other) {
      fail("decode(" + HexFormat.of().formatHex(input) + ") threw " + other, other);
    }
  }

  @Test
  @Timeout(60) // a guard against a decoder that loops forever, not a timing check
  void randomBytesOnlyEverThrowEtfException() {
    Random random = new Random(0xC1DE5L);
    for (int i = 0; i < 50_000; i++) {
      byte[] input = new byte[random.nextInt(48)];
      random.nextBytes(input);
      if (input.length > 0 && random.nextInt(8) != 0) {
        input[0] = (byte) 131; // mostly get past the version byte
      }
      if (input.length > 1 && random.nextInt(4) == 0) {
        // steer towards the supported tags so the deep paths get exercised
        int[] tags = {70, 80, 97, 98, 100, 104, 105, 106, 107, 108, 109, 110, 111, 115, 116, 118, 119};
        input[1] = (byte) tags[random.nextInt(tags.length)];
      }
      decodeQuietly(input);
    }
  }

  @Test
  @Timeout(60) // a guard against a decoder that loops forever, not a timing check
  void mutatedValidTermsOnlyEverThrowEtfException() {
    Object term =
        Etf.Tuple.of(
            Map.of("user", 123, "roles", List.of(new Etf.Atom("admin"), "x")),
            1_700_000_000_000L,
            List.of(1.5, true, List.of(1, 2, 3), Etf.Tuple.of()),
            java.math.BigInteger.ONE.shiftLeft(300));
    byte[] valid = Etf.encode(term);
    byte[] compressed = compress(Arrays.copyOfRange(valid, 1, valid.length), valid.length - 1);
    Random random = new Random(42);
    for (byte[] original : List.of(valid, compressed)) {
      for (int i = 0; i < 20_000; i++) {
        byte[] input = original.clone();
        for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
          input[1 + random.nextInt(input.length - 1)] = (byte) random.nextInt(256);
        }
        decodeQuietly(random.nextInt(10) == 0 ? Arrays.copyOf(input, random.nextInt(input.length)) : input);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "83 6d ffffffff 00", // binary of 4 GiB
        "83 6c ffffffff 6a", // list of 4G elements
        "83 74 7fffffff 6101", // map of 2G pairs
        "83 69 ffffffff", // tuple of 4G elements
        "83 6f ffffffff 00", // bignum of 4 GiB
        "83 6b ffff 00", // charlist longer than the input
        "83 76 ffff 61", // atom longer than the input
        "83 50 ffffffff 789c", // compressed term declaring 4 GiB
        "83 50 00100001 789c", // one byte over the decompression cap
      })
  void hugeDeclaredLengthsAreRejectedWithoutAllocating(String input) {
    // A quarter of the smallest cap: what the declared length asks for is never allocated.
    assertThat(bytesAllocatedToReject(hex(input))).isLessThan(Etf.MAX_DECOMPRESSED_BYTES / 4);
  }

  /** What this thread allocates while the decoder refuses the input (measured on a second, warm, attempt). */
  private static long bytesAllocatedToReject(byte[] input) {
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    assertThatThrownBy(() -> Etf.decode(input)).isInstanceOf(EtfException.class);
    long before = threads.getCurrentThreadAllocatedBytes();
    try {
      Etf.decode(input);
      return fail("decoded " + HexFormat.of().formatHex(input));
    } catch (EtfException expected) {
      return threads.getCurrentThreadAllocatedBytes() - before;
    }
  }

  @Test
  void nestingIsCapped() {
    assertThat(Etf.decode(nestedLists(Etf.MAX_DEPTH))).isInstanceOf(List.class);
    assertThatThrownBy(() -> Etf.decode(nestedLists(Etf.MAX_DEPTH + 1)))
        .isInstanceOf(EtfException.class)
        .hasMessageContaining("nested");
    assertThatThrownBy(() -> Etf.decode(nestedLists(100_000))).isInstanceOf(EtfException.class);
  }

  /** {@code [[...[]...]]} with {@code depth} list levels around the innermost nil. */
  private static byte[] nestedLists(int depth) {
    var out = new ByteArrayOutputStream();
    out.write(131);
    for (int i = 0; i < depth; i++) {
      out.writeBytes(hex("6c 00000001"));
    }
    out.write(106);
    for (int i = 0; i < depth; i++) {
      out.write(106);
    }
    return out.toByteArray();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "", // empty
        "61 01", // no version byte
        "83", // nothing after the version
        "83 61 01 00", // trailing byte
        "83 6c 00000001 6101 6102", // improper list [1 | 2]
        "83 74 00000002 6101 6101 6101 6102", // duplicate key
        "83 46 7ff8000000000000", // NaN
        "83 46 7ff0000000000000", // infinity
        "83 77 01 ff", // atom that is not UTF-8
        "83 6e 01 02 05", // bignum sign byte 2
        "83 68 01 50 00000000 00", // compressed term below the top level
        "83 63 31 2e 35", // FLOAT_EXT
      })
  void malformedInputIsRejected(String input) {
    assertThatThrownBy(() -> Etf.decode(hex(input))).isInstanceOf(EtfException.class);
  }

  @ParameterizedTest
  @ValueSource(ints = {112, 113, 117, 88, 103, 89, 102, 120, 90, 101, 114, 77, 82, 0, 255})
  void funsPidsPortsReferencesAndUnknownTagsAreRejected(int tag) {
    byte[] input = new byte[64];
    input[0] = (byte) 131;
    input[1] = (byte) tag;
    assertThatThrownBy(() -> Etf.decode(input))
        .isInstanceOf(EtfException.class)
        .hasMessageContaining("unsupported term")
        .hasMessageContaining("tag " + tag);
  }

  @Test
  void funsAreNamedInTheError() {
    assertThatThrownBy(() -> Etf.decode(hex("83 71 77 01 61 77 01 62 61 00")))
        .hasMessageContaining("fun");
  }

  @Test
  void compressedTermsDecode() {
    Object term = List.of("repeat".repeat(100), 1, 2, 3);
    byte[] plain = Etf.encode(term);
    byte[] body = Arrays.copyOfRange(plain, 1, plain.length);
    assertThat(Etf.decode(compress(body, body.length))).isEqualTo(term);
  }

  @Test
  void compressedTermsMustInflateToExactlyTheirDeclaredSize() {
    byte[] plain = Etf.encode("x".repeat(1000));
    byte[] body = Arrays.copyOfRange(plain, 1, plain.length);
    assertThatThrownBy(() -> Etf.decode(compress(body, body.length - 1)))
        .isInstanceOf(EtfException.class)
        .hasMessageContaining("larger");
    assertThatThrownBy(() -> Etf.decode(compress(body, body.length + 1)))
        .isInstanceOf(EtfException.class)
        .hasMessageContaining("smaller");
    byte[] good = compress(body, body.length);
    assertThatThrownBy(() -> Etf.decode(Arrays.copyOf(good, good.length - 3))).isInstanceOf(EtfException.class);
    byte[] trailing = Arrays.copyOf(good, good.length + 1);
    assertThatThrownBy(() -> Etf.decode(trailing)).isInstanceOf(EtfException.class).hasMessageContaining("trailing");
    assertThatThrownBy(() -> Etf.decode(hex("83 50 00000010 0102030405"))).isInstanceOf(EtfException.class);
  }

  @Test
  void aZipBombIsStoppedAtTheDeclaredSize() {
    byte[] zeros = new byte[50 << 20]; // 50 MiB of zeros deflate to ~50 KiB
    byte[] bomb = compress(zeros, 1000);
    assertThatThrownBy(() -> Etf.decode(bomb)).isInstanceOf(EtfException.class).hasMessageContaining("larger");
    assertThat(bytesAllocatedToReject(bomb)).as("inflated no further than the declared size").isLessThan(1 << 20);
  }

  /** {@code 131, 80, declaredSize:u32, zlib(body)}: what {@code term_to_binary(T, [compressed])} writes. */
  static byte[] compress(byte[] body, int declaredSize) {
    var deflater = new Deflater();
    deflater.setInput(body);
    deflater.finish();
    var out = new ByteArrayOutputStream();
    out.write(131);
    out.write(80);
    out.writeBytes(new byte[] {(byte) (declaredSize >>> 24), (byte) (declaredSize >>> 16), (byte) (declaredSize >>> 8), (byte) declaredSize});
    byte[] buffer = new byte[8192];
    while (!deflater.finished()) {
      out.write(buffer, 0, deflater.deflate(buffer));
    }
    deflater.end();
    return out.toByteArray();
  }
}
