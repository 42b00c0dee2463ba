package dev.cinder.internal.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EtfTest {
  private static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex.replace(" ", ""));
  }

  static List<Object[]> exactEncodings() {
    return List.of(
        new Object[] {42, "83 61 2a"},
        new Object[] {255, "83 61 ff"},
        new Object[] {256, "83 62 00000100"},
        new Object[] {-1, "83 62 ffffffff"},
        new Object[] {Integer.MIN_VALUE, "83 62 80000000"},
        // the signed_at of the plug_crypto vector in PhoenixTokenTest: SMALL_BIG, 6 bytes, little-endian magnitude
        new Object[] {1_700_000_000_000L, "83 6e 06 00 0068e5cf8b01"},
        new Object[] {-1_700_000_000_000L, "83 6e 06 01 0068e5cf8b01"},
        new Object[] {Long.MIN_VALUE, "83 6e 08 01 0000000000000080"},
        new Object[] {BigInteger.ONE.shiftLeft(64), "83 6e 09 00 000000000000000001"},
        new Object[] {5L, "83 61 05"},
        new Object[] {BigInteger.valueOf(300), "83 62 0000012c"},
        new Object[] {"abc", "83 6d 00000003 616263"},
        new Object[] {"", "83 6d 00000000"},
        new Object[] {new byte[] {(byte) 0xff}, "83 6d 00000001 ff"},
        new Object[] {new Etf.Atom("ok"), "83 77 02 6f6b"},
        new Object[] {true, "83 77 04 74727565"},
        new Object[] {false, "83 77 05 66616c7365"},
        new Object[] {null, "83 77 03 6e696c"},
        new Object[] {1.5, "83 46 3ff8000000000000"},
        new Object[] {-0.0, "83 46 8000000000000000"},
        new Object[] {Etf.Tuple.of(), "83 68 00"},
        new Object[] {Etf.Tuple.of(42, 1_700_000_000_000L, 86_400), "83 68 03 612a 6e060000 68e5cf8b01 6200015180"},
        new Object[] {List.of(), "83 6a"},
        new Object[] {List.of(1, 2, 3), "83 6b 0003 010203"},
        new Object[] {List.of(1, 300), "83 6c 00000002 6101 620000012c 6a"},
        new Object[] {List.of("a"), "83 6c 00000001 6d0000000161 6a"},
        new Object[] {Map.of("a", 1), "83 74 00000001 6d0000000161 6101"});
  }

  @ParameterizedTest
  @MethodSource("exactEncodings")
  void encodesExactBytes(Object term, String expectedHex) {
    assertThat(Etf.encode(term)).isEqualTo(hex(expectedHex));
  }

  @Test
  void largeIntegersAndTuplesAndAtomsUseTheirLargeTags() {
    BigInteger huge = BigInteger.ONE.shiftLeft(2100);
    byte[] bytes = Etf.encode(huge);
    assertThat(Arrays.copyOf(bytes, 7)).isEqualTo(hex("83 6f 00000107 00"));
    assertThat(bytes[bytes.length - 1]).isEqualTo((byte) 0x10);

    var big = new Etf.Tuple(new ArrayList<>(IntStream.range(0, 300).boxed().toList()));
    assertThat(Arrays.copyOf(Etf.encode(big), 6)).isEqualTo(hex("83 69 0000012c"));

    String longName = "é".repeat(200); // 400 UTF-8 bytes
    assertThat(Arrays.copyOf(Etf.encode(new Etf.Atom(longName)), 4)).isEqualTo(hex("83 76 0190"));
  }

  static List<Object> roundTrips() {
    Map<Object, Object> mixedKeys = new LinkedHashMap<>();
    mixedKeys.put("user", 123);
    mixedKeys.put(new Etf.Atom("role"), new Etf.Atom("admin"));
    mixedKeys.put(7, List.of(1.5, "x"));
    mixedKeys.put(Etf.Tuple.of(1, 2), Map.of());
    mixedKeys.put(null, true);
    mixedKeys.put("nothing", null);
    return List.of(
        0, 255, 256, -1, Integer.MAX_VALUE, Integer.MIN_VALUE,
        (long) Integer.MAX_VALUE + 1, (long) Integer.MIN_VALUE - 1, Long.MAX_VALUE, Long.MIN_VALUE,
        BigInteger.ONE.shiftLeft(64), BigInteger.ONE.shiftLeft(64).negate(), BigInteger.ONE.shiftLeft(2100).negate(),
        BigInteger.ONE.shiftLeft(63), // just past Long.MAX_VALUE
        "", "user-123", "héllo ✓ 😀",
        new Etf.Atom("ok"), new Etf.Atom("héllo"), new Etf.Atom(""), new Etf.Atom("é".repeat(200)),
        true, false,
        0.0, -0.0, 1.5, -2.25e-300, Double.MAX_VALUE, Double.MIN_VALUE,
        Etf.Tuple.of(), Etf.Tuple.of(1, Etf.Tuple.of("a", new Etf.Atom("b")), List.of()),
        new Etf.Tuple(new ArrayList<>(IntStream.range(0, 300).boxed().toList())),
        List.of(), List.of(1, 2, 3), List.of(0, 255), List.of(1, "two", 3.0, List.of(List.of())),
        Arrays.asList(1, null, "x"), IntStream.range(0, 70_000).map(i -> i % 200).boxed().toList(),
        Map.of(), mixedKeys);
  }

  @ParameterizedTest
  @MethodSource("roundTrips")
  void roundTripsEverySupportedType(Object term) {
    assertThat(Etf.decode(Etf.encode(term))).isEqualTo(term);
  }

  @Test
  void nullRoundTripsAsNil() {
    assertThat(Etf.decode(Etf.encode(null))).isNull();
  }

  @Test
  void integersDecodeToTheSmallestJavaType() {
    assertThat(Etf.decode(Etf.encode(5L))).isEqualTo(5);
    assertThat(Etf.decode(Etf.encode(BigInteger.valueOf(1L << 40)))).isEqualTo(1L << 40);
    assertThat(Etf.decode(hex("83 6e 01 00 05"))).isEqualTo(5); // non-canonical small bignum
    assertThat(Etf.decode(hex("83 6e 00 00"))).isEqualTo(0); // zero-length bignum, as Erlang
    assertThat(Etf.decode(hex("83 6f 00000001 01 07"))).isEqualTo(-7);
    assertThat(Etf.decode(Etf.encode((short) -3))).isEqualTo(-3);
    assertThat(Etf.decode(Etf.encode((byte) 7))).isEqualTo(7);
    assertThat(Etf.decode(Etf.encode(0.5f))).isEqualTo(0.5);
  }

  @Test
  void binariesThatAreNotUtf8DecodeToBytes() {
    Object decoded = Etf.decode(Etf.encode(new byte[] {(byte) 0xff, (byte) 0xfe, 0}));
    assertThat(decoded).isInstanceOf(byte[].class);
    assertThat((byte[]) decoded).containsExactly(0xff, 0xfe, 0);
    assertThat(Etf.decode(Etf.encode("ok".getBytes()))).isEqualTo("ok");
  }

  @Test
  void decodesEveryAtomTag() {
    assertThat(Etf.decode(hex("83 64 0002 6f6b"))).isEqualTo(new Etf.Atom("ok"));
    assertThat(Etf.decode(hex("83 64 0005 68e96c6c6f"))).isEqualTo(new Etf.Atom("héllo")); // Latin-1
    assertThat(Etf.decode(hex("83 73 04 74727565"))).isEqualTo(true);
    assertThat(Etf.decode(hex("83 76 0005 66616c7365"))).isEqualTo(false);
    assertThat(Etf.decode(hex("83 77 03 6e696c"))).isNull();
    assertThat(Etf.decode(hex("83 77 06 68c3a96c6c6f"))).isEqualTo(new Etf.Atom("héllo"));
  }

  @Test
  void charlistDecodesToIntegers() {
    assertThat(Etf.decode(hex("83 6b 0003 616263"))).isEqualTo(List.of(97, 98, 99));
  }

  @Test
  void decodedCollectionsAreUnmodifiable() {
    @SuppressWarnings("unchecked")
    var list = (List<Object>) Etf.decode(Etf.encode(List.of(1, 300)));
    assertThatThrownBy(() -> list.add(1)).isInstanceOf(UnsupportedOperationException.class);
    @SuppressWarnings("unchecked")
    var map = (Map<Object, Object>) Etf.decode(Etf.encode(Map.of("a", 1)));
    assertThatThrownBy(() -> map.put("b", 2)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void refusesValuesWithoutAnErlangEncoding() {
    assertThatThrownBy(() -> Etf.encode(new Object())).isInstanceOf(EtfException.class);
    assertThatThrownBy(() -> Etf.encode(Optional.empty())).isInstanceOf(EtfException.class);
    assertThatThrownBy(() -> Etf.encode(Double.NaN)).isInstanceOf(EtfException.class);
    assertThatThrownBy(() -> Etf.encode(Double.POSITIVE_INFINITY)).isInstanceOf(EtfException.class);
    assertThatThrownBy(() -> Etf.encode(new Etf.Atom("x".repeat(70_000)))).isInstanceOf(EtfException.class);
    List<Object> cyclic = new ArrayList<>();
    cyclic.add(cyclic);
    assertThatThrownBy(() -> Etf.encode(cyclic)).isInstanceOf(EtfException.class);
    Map<Object, Object> cyclicMap = new HashMap<>();
    cyclicMap.put("self", List.of(cyclicMap));
    assertThatThrownBy(() -> Etf.encode(cyclicMap)).isInstanceOf(EtfException.class);
  }

  @Test
  void tupleAllowsNilAndIsACopy() {
    List<Object> elements = new ArrayList<>(Arrays.asList(1, null));
    var tuple = new Etf.Tuple(elements);
    elements.add(3);
    assertThat(tuple.arity()).isEqualTo(2);
    assertThat(tuple.get(1)).isNull();
    assertThat(tuple).hasToString("{1, null}");
  }
}
