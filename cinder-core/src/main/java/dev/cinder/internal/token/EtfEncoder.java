package dev.cinder.internal.token;

import static dev.cinder.internal.token.EtfTags.*;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Writes terms the way {@code term_to_binary/1} does, except atoms (UTF-8 tags, as OTP 26+). */
final class EtfEncoder {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream(64);

  private EtfEncoder() {}

  static byte[] encode(Object term) {
    var encoder = new EtfEncoder();
    encoder.out.write(VERSION);
    encoder.term(term, 0);
    return encoder.out.toByteArray();
  }

  private void term(Object term, int depth) {
    if (depth > Etf.MAX_DEPTH) {
      // Also what a cyclic structure runs into, instead of a StackOverflowError.
      throw new EtfException("term nested deeper than " + Etf.MAX_DEPTH + " levels (or cyclic)");
    }
    switch (term) {
      case null -> atom("nil");
      case Boolean b -> atom(b ? "true" : "false");
      case Etf.Atom a -> atom(a.name());
      case Integer i -> integer(i);
      case Long l -> integer(l);
      case Short s -> integer(s);
      case Byte b -> integer(b);
      case BigInteger b -> bigInteger(b);
      case Double d -> float64(d);
      case Float f -> float64(f);
      case String s -> binary(s.getBytes(StandardCharsets.UTF_8));
      case byte[] bytes -> binary(bytes);
      case Etf.Tuple t -> tuple(t.elements(), depth);
      case List<?> list -> list(list, depth);
      case Map<?, ?> map -> map(map, depth);
      default ->
          throw new EtfException("cannot encode " + term.getClass().getName() + " as an Erlang term");
    }
  }

  private void atom(String name) {
    byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= 0xFF) {
      out.write(SMALL_ATOM_UTF8);
      out.write(bytes.length);
    } else if (bytes.length <= 0xFFFF) {
      out.write(ATOM_UTF8);
      u16(bytes.length);
    } else {
      throw new EtfException("atom name of " + bytes.length + " bytes is too long");
    }
    out.writeBytes(bytes);
  }

  private void integer(long value) {
    if (value >= 0 && value <= 0xFF) {
      out.write(SMALL_INTEGER);
      out.write((int) value);
    } else if (value == (int) value) {
      out.write(INTEGER);
      u32((int) value);
    } else {
      // -Long.MIN_VALUE overflows back to itself, which read unsigned is the right magnitude.
      long magnitude = value < 0 ? -value : value;
      int n = (Long.SIZE - Long.numberOfLeadingZeros(magnitude) + 7) / 8;
      out.write(SMALL_BIG);
      out.write(n);
      out.write(value < 0 ? 1 : 0);
      for (int i = 0; i < n; i++) {
        out.write((int) (magnitude >>> (8 * i)) & 0xFF);
      }
    }
  }

  private void bigInteger(BigInteger value) {
    if (value.bitLength() < Long.SIZE) {
      integer(value.longValue());
      return;
    }
    byte[] be = value.abs().toByteArray();
    int skip = be[0] == 0 ? 1 : 0; // toByteArray adds a sign byte
    int n = be.length - skip;
    if (n <= 0xFF) {
      out.write(SMALL_BIG);
      out.write(n);
    } else {
      out.write(LARGE_BIG);
      u32(n);
    }
    out.write(value.signum() < 0 ? 1 : 0);
    for (int i = be.length - 1; i >= skip; i--) {
      out.write(be[i]); // the magnitude is little-endian on the wire
    }
  }

  private void float64(double value) {
    if (!Double.isFinite(value)) {
      throw new EtfException("Erlang floats cannot be NaN or infinite: " + value);
    }
    out.write(NEW_FLOAT);
    long bits = Double.doubleToRawLongBits(value);
    u32((int) (bits >>> 32));
    u32((int) bits);
  }

  private void binary(byte[] bytes) {
    out.write(BINARY);
    u32(bytes.length);
    out.writeBytes(bytes);
  }

  private void tuple(List<Object> elements, int depth) {
    if (elements.size() <= 0xFF) {
      out.write(SMALL_TUPLE);
      out.write(elements.size());
    } else {
      out.write(LARGE_TUPLE);
      u32(elements.size());
    }
    for (Object element : elements) {
      term(element, depth + 1);
    }
  }

  private void list(List<?> list, int depth) {
    if (list.isEmpty()) {
      out.write(NIL);
    } else if (list.size() <= 0xFFFF && list.stream().allMatch(EtfEncoder::isByte)) {
      // Erlang writes lists of small integers as STRING_EXT; doing the same keeps bytes identical.
      out.write(STRING);
      u16(list.size());
      for (Object element : list) {
        out.write(((Number) element).intValue());
      }
    } else {
      out.write(LIST);
      u32(list.size());
      for (Object element : list) {
        term(element, depth + 1);
      }
      out.write(NIL);
    }
  }

  private static boolean isByte(Object element) {
    long value;
    switch (element) {
      case Integer i -> value = i;
      case Long l -> value = l;
      case Short s -> value = s;
      case Byte b -> value = b;
      case BigInteger b -> {
        return b.signum() >= 0 && b.bitLength() <= 8;
      }
      case null, default -> {
        return false;
      }
    }
    return value >= 0 && value <= 0xFF;
  }

  private void map(Map<?, ?> map, int depth) {
    // Iteration order, unlike Erlang, which sorts small maps: the bytes differ, the term does not.
    out.write(MAP);
    u32(map.size());
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      term(entry.getKey(), depth + 1);
      term(entry.getValue(), depth + 1);
    }
  }

  private void u16(int value) {
    out.write(value >>> 8);
    out.write(value);
  }

  private void u32(int value) {
    out.write(value >>> 24);
    out.write(value >>> 16);
    out.write(value >>> 8);
    out.write(value);
  }
}
