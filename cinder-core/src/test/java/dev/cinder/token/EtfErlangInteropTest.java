package dev.cinder.token;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.internal.token.Etf;
import java.io.File;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks against the real {@code term_to_binary} and {@code crypto} of the local Erlang/OTP ({@code erl} on the
 * PATH: {@code ./dev test} installs Debian's erlang-base and erlang-crypto; fails, never skips, without them).
 * OTP 25 writes atoms as ATOM_EXT (100), so terms with atoms are compared after decoding rather than byte for byte.
 */
class EtfErlangInteropTest {
  @BeforeAll
  static void requireErl() {
    boolean onPath =
        Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
            .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, "erl")));
    assertThat(onPath)
        .as("erl is not on the PATH: run ./dev test, which installs it, or apt-get install erlang-base erlang-crypto")
        .isTrue();
  }

  /** Runs the expressions in one {@code erl} and returns the lines they print. */
  private static List<String> erl(String expressions) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder("erl", "-noshell", "-eval", expressions + " halt().").redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output.lines().toList();
  }

  private static String bytesLiteral(byte[] bytes) {
    return IntStream.range(0, bytes.length).mapToObj(i -> String.valueOf(bytes[i] & 0xFF)).collect(Collectors.joining(",", "<<", ">>"));
  }

  private static byte[] parseByteList(String line) {
    String inner = line.substring(1, line.length() - 1);
    String[] parts = inner.split(",");
    byte[] bytes = new byte[parts.length];
    for (int i = 0; i < parts.length; i++) {
      bytes[i] = (byte) Integer.parseInt(parts[i]);
    }
    return bytes;
  }

  @Test
  void encodingMatchesTermToBinaryByteForByte() throws Exception {
    byte[] unicode = "héllo ✓".getBytes(StandardCharsets.UTF_8);
    Map<Object, String> cases = new LinkedHashMap<>();
    cases.put(42, "42");
    cases.put(300, "300");
    cases.put(-1, "-1");
    cases.put(1_700_000_000_000L, "1700000000000");
    cases.put(Long.MIN_VALUE, "-9223372036854775808");
    cases.put(BigInteger.ONE.shiftLeft(64), "1 bsl 64");
    cases.put(BigInteger.ONE.shiftLeft(2100).negate(), "-(1 bsl 2100)");
    cases.put(new String(unicode, StandardCharsets.UTF_8), bytesLiteral(unicode));
    cases.put(List.of(1.5, -0.0, 0.1, 1e300), "[1.5, -0.0, 0.1, 1.0e300]");
    cases.put(Etf.Tuple.of(), "{}");
    cases.put(Etf.Tuple.of(1, "a", List.of()), "{1, <<\"a\">>, []}");
    cases.put(List.of(1, 2, 3), "[1,2,3]");
    cases.put(List.of(1, 300), "[1,300]");
    cases.put(List.of("a", List.of()), "[<<\"a\">>, []]");
    cases.put(IntStream.rangeClosed(0, 255).boxed().toList(), "lists:seq(0, 255)");
    cases.put(Collections.nCopies(70_000, 1), "lists:duplicate(70000, 1)");
    cases.put(new Etf.Tuple(new ArrayList<>(IntStream.rangeClosed(1, 300).boxed().toList())), "list_to_tuple(lists:seq(1, 300))");
    cases.put(Map.of(), "#{}");
    cases.put(Map.of(1, "x"), "#{1 => <<\"x\">>}");
    cases.put(Etf.Tuple.of(42, 1_700_000_000_000L, 86_400), "{42, 1700000000000, 86400}");

    String program =
        cases.values().stream()
            .map(literal -> "io:format(\"~w~n\", [binary_to_list(term_to_binary(" + literal + "))]),")
            .collect(Collectors.joining());
    List<String> lines = erl(program);
    assertThat(lines).hasSize(cases.size());
    int i = 0;
    for (Map.Entry<Object, String> entry : cases.entrySet()) {
      assertThat(Etf.encode(entry.getKey())).as(entry.getValue()).isEqualTo(parseByteList(lines.get(i++)));
    }
  }

  @Test
  void decodesErlangTermsWithAtomsAndCompression() throws Exception {
    List<String> lines =
        erl(
            "A = list_to_atom([104,233,108,108,111]), U = list_to_atom([10003]),"
                + "io:format(\"~w~n\", [binary_to_list(term_to_binary({ok, true, false, nil, A, U, #{a => 1, b => [x, <<\"y\">>]}, \"abc\"}))]),"
                + "io:format(\"~w~n\", [binary_to_list(term_to_binary({lists:duplicate(100, <<\"abc\">>), 42}, [compressed]))]),");
    Map<Object, Object> map = new LinkedHashMap<>();
    map.put(new Etf.Atom("a"), 1);
    map.put(new Etf.Atom("b"), List.of(new Etf.Atom("x"), "y"));
    assertThat(Etf.decode(parseByteList(lines.get(0))))
        .isEqualTo(Etf.Tuple.of(new Etf.Atom("ok"), true, false, null, new Etf.Atom("héllo"), new Etf.Atom("✓"), map, List.of(97, 98, 99)));

    byte[] compressed = parseByteList(lines.get(1));
    assertThat(compressed[1]).isEqualTo((byte) 80);
    assertThat(Etf.decode(compressed)).isEqualTo(Etf.Tuple.of(Collections.nCopies(100, "abc"), 42));
  }

  @Test
  void erlangReadsOurAtomsAndMaps() throws Exception {
    Object term = Etf.Tuple.of(Map.of(new Etf.Atom("user"), "héllo", "roles", List.of(new Etf.Atom("admin"))), true, null);
    String expected = "{#{user => unicode:characters_to_binary([104,233,108,108,111]), <<\"roles\">> => [admin]}, true, nil}";
    List<String> lines = erl("io:format(\"~w~n\", [binary_to_term(" + bytesLiteral(Etf.encode(term)) + ") =:= " + expected + "]),");
    assertThat(lines).containsExactly("true");
  }

  @Test
  void tokensAgreeWithErlangCrypto() throws Exception {
    String secret = PhoenixTokenTest.SECRET;
    String program =
        "Key = crypto:pbkdf2_hmac(sha256, <<\"" + secret + "\">>, <<\"user socket\">>, 1000, 32),"
            + "io:format(\"~s~n\", [binary:encode_hex(Key)]),"
            + "B64 = fun(Bin) -> << <<(case C of $+ -> $-; $/ -> $_; _ -> C end)>> || <<C>> <= base64:encode(Bin), C =/= $= >> end,"
            + "Sign = fun(Data) -> Signed = <<\"SFMyNTY.\", (B64(term_to_binary({Data, 1700000000000, 86400})))/binary>>,"
            + "  <<Signed/binary, \".\", (B64(crypto:mac(hmac, sha256, Key, Signed)))/binary>> end,"
            + "io:format(\"~s~n\", [Sign({<<\"user-123\">>, 42, [1,2,3], 1.5, {}})]),"
            + "io:format(\"~s~n\", [Sign(#{user_id => 7, roles => [admin]})]),";
    List<String> lines = erl(program);
    assertThat(lines.get(0)).isEqualToIgnoringCase(PhoenixTokenTest.KEY_HEX);

    var tokens = PhoenixToken.forSecret(secret, Clock.fixed(PhoenixTokenTest.SIGNED_AT.plusSeconds(1), ZoneOffset.UTC));
    Object data = Etf.Tuple.of("user-123", 42, List.of(1, 2, 3), 1.5, Etf.Tuple.of());
    assertThat(tokens.sign("user socket", data, PhoenixToken.DEFAULT_MAX_AGE, PhoenixTokenTest.SIGNED_AT)).isEqualTo(lines.get(1));
    assertThat(tokens.verify("user socket", lines.get(2)))
        .isEqualTo(new TokenResult.Valid(Map.of(new Etf.Atom("user_id"), 7, new Etf.Atom("roles"), List.of(new Etf.Atom("admin")))));
  }
}
