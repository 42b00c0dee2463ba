package dev.cinder.internal.token;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The subset of the Erlang External Term Format that Phoenix tokens carry.
 *
 * <p>Java ⇄ Erlang mapping:
 *
 * <ul>
 *   <li>{@code Integer}, {@code Long}, {@code BigInteger} (also {@code Short}, {@code Byte}) ⇄
 *       integers. Decoding yields the smallest of {@code Integer}, {@code Long}, {@code BigInteger}
 *       that holds the value.
 *   <li>{@code String} ⇄ binary (UTF-8). A decoded binary that is not valid UTF-8 is a {@code
 *       byte[]}; a {@code byte[]} encodes as a binary too.
 *   <li>{@link Atom} ⇄ atom, except that {@code true}/{@code false} decode to {@code Boolean} and
 *       {@code nil} decodes to {@code null} (and {@code Boolean}/{@code null} encode to them).
 *   <li>{@link Tuple} ⇄ tuple; {@code List} ⇄ proper list (a charlist decodes to {@code
 *       List<Integer>}); {@code Map} ⇄ map; {@code Double} (also {@code Float}) ⇄ float.
 * </ul>
 *
 * <p>{@link #decode} is safe on untrusted bytes: every declared length is checked against the
 * input that is left, nesting is capped at {@value #MAX_DEPTH} levels, a compressed term (tag 80)
 * may expand to at most {@value #MAX_DECOMPRESSED_BYTES} bytes, and anything else (funs, pids,
 * ports, references, improper lists, trailing bytes) fails with {@link EtfException}. Decoded
 * lists and maps are unmodifiable.
 */
public final class Etf {
  /** Deepest nesting of lists, tuples and maps accepted when decoding or encoding. */
  public static final int MAX_DEPTH = 256;

  /** Largest uncompressed size a compressed term (tag 80) may declare. */
  public static final int MAX_DECOMPRESSED_BYTES = 1 << 20;

  private Etf() {}

  /** {@code term_to_binary/1}: the version byte 131 followed by the term. */
  public static byte[] encode(Object term) {
    return EtfEncoder.encode(term);
  }

  /** {@code binary_to_term/1} for the supported subset; throws {@link EtfException} otherwise. */
  public static Object decode(byte[] bytes) {
    return EtfDecoder.decode(bytes);
  }

  /** An Erlang atom. Names longer than 255 UTF-8 bytes encode, but Erlang itself refuses them. */
  public record Atom(String name) {
    public Atom {
      Objects.requireNonNull(name, "name");
    }

    @Override
    public String toString() {
      return ":" + name;
    }
  }

  /** An Erlang tuple. Elements may be {@code null} ({@code nil}); the list is an unmodifiable copy. */
  public record Tuple(List<Object> elements) {
    public Tuple {
      // List.copyOf would reject null elements, and nil is a legal element.
      elements = Collections.unmodifiableList(new ArrayList<>(elements));
    }

    public static Tuple of(Object... elements) {
      return new Tuple(Arrays.asList(elements));
    }

    public int arity() {
      return elements.size();
    }

    public Object get(int index) {
      return elements.get(index);
    }

    @Override
    public String toString() {
      String inner = elements.toString();
      return "{" + inner.substring(1, inner.length() - 1) + "}";
    }
  }
}
