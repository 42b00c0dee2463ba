package dev.cinder.internal.token;

import static dev.cinder.internal.token.EtfTags.*;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads untrusted external-term bytes. Every count is checked against the bytes left before
 * anything is allocated for it, and collections grow only as elements actually arrive, so the
 * memory used stays proportional to the input.
 */
final class EtfDecoder {
  private static final BigInteger INT_MIN = BigInteger.valueOf(Integer.MIN_VALUE);
  private static final BigInteger INT_MAX = BigInteger.valueOf(Integer.MAX_VALUE);

  private final byte[] in;
  private int pos;

  private EtfDecoder(byte[] in, int pos) {
    this.in = in;
    this.pos = pos;
  }

  static Object decode(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length == 0) {
      throw new EtfException("empty input");
    }
    if ((bytes[0] & 0xFF) != VERSION) {
      throw new EtfException("not an external term: starts with " + (bytes[0] & 0xFF) + ", not 131");
    }
    if (bytes.length > 1 && (bytes[1] & 0xFF) == COMPRESSED) {
      return decodeWhole(Inflation.inflate(bytes, 2), 0);
    }
    return decodeWhole(bytes, 1);
  }

  private static Object decodeWhole(byte[] bytes, int start) {
    var decoder = new EtfDecoder(bytes, start);
    Object term = decoder.term(0);
    if (decoder.pos != bytes.length) {
      throw new EtfException((bytes.length - decoder.pos) + " trailing bytes after the term");
    }
    return term;
  }

  private Object term(int depth) {
    if (depth > Etf.MAX_DEPTH) {
      throw new EtfException("terms nested deeper than " + Etf.MAX_DEPTH + " levels");
    }
    int tag = u8();
    return switch (tag) {
      case SMALL_INTEGER -> u8();
      case INTEGER -> i32();
      case SMALL_BIG -> bigInteger(u8());
      case LARGE_BIG -> bigInteger(count(u32(), 1));
      case NEW_FLOAT -> float64();
      case BINARY -> binary(count(u32(), 1));
      case ATOM -> atom(u16(), StandardCharsets.ISO_8859_1);
      case SMALL_ATOM -> atom(u8(), StandardCharsets.ISO_8859_1);
      case ATOM_UTF8 -> atom(u16(), StandardCharsets.UTF_8);
      case SMALL_ATOM_UTF8 -> atom(u8(), StandardCharsets.UTF_8);
      case SMALL_TUPLE -> tuple(u8(), depth);
      case LARGE_TUPLE -> tuple(count(u32(), 1), depth);
      case NIL -> List.of();
      case STRING -> charlist(u16());
      case LIST -> list(count(u32(), 1), depth);
      case MAP -> map(count(u32(), 2), depth);
      case COMPRESSED -> throw new EtfException("a compressed term may only follow the version byte");
      default -> throw new EtfException(unsupported(tag));
    };
  }

  /** A declared element count, refused when the input left could not possibly hold it. */
  private int count(long declared, int minBytesEach) {
    if (declared * minBytesEach > in.length - pos) {
      throw new EtfException("declared count " + declared + " exceeds the " + (in.length - pos) + " bytes left");
    }
    return (int) declared;
  }

  private Object bigInteger(int n) {
    require(1 + n);
    int sign = u8();
    if (sign > 1) {
      throw new EtfException("bad bignum sign byte " + sign);
    }
    byte[] magnitude = new byte[n];
    for (int i = n - 1; i >= 0; i--) {
      magnitude[i] = in[pos++]; // little-endian on the wire, big-endian for BigInteger
    }
    return narrow(new BigInteger(sign == 0 ? 1 : -1, magnitude));
  }

  /** The smallest Java type that holds the value, so equal Erlang integers decode equal. */
  static Object narrow(BigInteger value) {
    if (value.compareTo(INT_MIN) >= 0 && value.compareTo(INT_MAX) <= 0) {
      return value.intValue();
    }
    return value.bitLength() < Long.SIZE ? (Object) value.longValue() : value;
  }

  private Double float64() {
    require(8);
    double value = Double.longBitsToDouble(((long) i32() << 32) | (i32() & 0xFFFF_FFFFL));
    if (!Double.isFinite(value)) {
      throw new EtfException("float is NaN or infinite, which Erlang does not allow");
    }
    return value;
  }

  private Object binary(int length) {
    byte[] bytes = bytes(length);
    try {
      // newDecoder() reports malformed input instead of replacing it.
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException notText) {
      return bytes;
    }
  }

  private Object atom(int length, Charset charset) {
    byte[] bytes = bytes(length);
    String name;
    try {
      name = charset.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new EtfException("atom name is not valid " + charset.name(), e);
    }
    return switch (name) {
      case "true" -> Boolean.TRUE;
      case "false" -> Boolean.FALSE;
      case "nil" -> null;
      default -> new Etf.Atom(name);
    };
  }

  private Etf.Tuple tuple(int arity, int depth) {
    count(arity, 1);
    return new Etf.Tuple(elements(arity, depth));
  }

  private List<Object> list(int length, int depth) {
    List<Object> elements = elements(length, depth);
    if (u8() != NIL) {
      throw new EtfException("improper lists are not supported");
    }
    return Collections.unmodifiableList(elements);
  }

  private List<Object> elements(int count, int depth) {
    // Capacity is capped: a declared count is a claim, the elements are the proof.
    List<Object> elements = new ArrayList<>(Math.min(count, 16));
    for (int i = 0; i < count; i++) {
      elements.add(term(depth + 1));
    }
    return elements;
  }

  private List<Integer> charlist(int length) {
    byte[] bytes = bytes(length);
    List<Integer> chars = new ArrayList<>(length);
    for (byte b : bytes) {
      chars.add(b & 0xFF);
    }
    return Collections.unmodifiableList(chars);
  }

  private Map<Object, Object> map(int arity, int depth) {
    Map<Object, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < arity; i++) {
      Object key = term(depth + 1);
      Object value = term(depth + 1);
      if (map.containsKey(key)) {
        throw new EtfException("duplicate map key"); // binary_to_term refuses these too
      }
      map.put(key, value);
    }
    return Collections.unmodifiableMap(map);
  }

  private byte[] bytes(int length) {
    require(length);
    byte[] bytes = new byte[length];
    System.arraycopy(in, pos, bytes, 0, length);
    pos += length;
    return bytes;
  }

  private void require(long n) {
    if (n > in.length - pos) {
      throw new EtfException("truncated term: needs " + n + " bytes, " + (in.length - pos) + " left");
    }
  }

  private int u8() {
    require(1);
    return in[pos++] & 0xFF;
  }

  private int u16() {
    require(2);
    int value = ((in[pos] & 0xFF) << 8) | (in[pos + 1] & 0xFF);
    pos += 2;
    return value;
  }

  private int i32() {
    require(4);
    int value =
        ((in[pos] & 0xFF) << 24) | ((in[pos + 1] & 0xFF) << 16) | ((in[pos + 2] & 0xFF) << 8) | (in[pos + 3] & 0xFF);
    pos += 4;
    return value;
  }

  private long u32() {
    return Integer.toUnsignedLong(i32());
  }

  /** Tag 80: {@code uncompressed_size:u32} then a zlib stream that must inflate to exactly that. */
  private static final class Inflation {
    static byte[] inflate(byte[] in, int offset) {
      var header = new EtfDecoder(in, offset);
      long size = header.u32();
      if (size > Etf.MAX_DECOMPRESSED_BYTES) {
        throw new EtfException("compressed term declares " + size + " bytes, more than " + Etf.MAX_DECOMPRESSED_BYTES);
      }
      byte[] out = new byte[(int) size];
      Inflater inflater = new Inflater();
      try {
        inflater.setInput(in, header.pos, in.length - header.pos);
        int filled = 0;
        while (filled < out.length) {
          filled += step(inflater, out, filled, out.length - filled);
        }
        byte[] probe = new byte[1];
        while (!inflater.finished()) {
          if (step(inflater, probe, 0, 1) > 0) {
            throw new EtfException("compressed term is larger than its declared " + size + " bytes");
          }
        }
        if (inflater.getRemaining() > 0) {
          throw new EtfException(inflater.getRemaining() + " trailing bytes after the compressed term");
        }
        return out;
      } catch (DataFormatException e) {
        throw new EtfException("corrupt zlib data in compressed term", e);
      } finally {
        inflater.end(); // native memory: do not wait for the cleaner
      }
    }

    /** One inflate call that must make progress, so a stuck stream cannot loop forever. */
    private static int step(Inflater inflater, byte[] out, int offset, int length) throws DataFormatException {
      long readBefore = inflater.getBytesRead();
      int produced = inflater.inflate(out, offset, length);
      if (produced == 0 && (inflater.getBytesRead() == readBefore || inflater.needsDictionary())) {
        throw new EtfException(
            inflater.finished()
                ? "compressed term is smaller than its declared size"
                : inflater.needsDictionary()
                    ? "compressed term needs a preset dictionary"
                    : "compressed term is truncated");
      }
      return produced;
    }
  }
}
