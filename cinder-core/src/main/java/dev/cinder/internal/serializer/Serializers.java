package dev.cinder.internal.serializer;

import java.util.Optional;

/**
 * Picks the serializer for the {@code vsn} connect parameter, as Phoenix does with its default list
 * {@code [{V1, "~> 1.0.0"}, {V2, "~> 2.0.0"}]} and Elixir's {@code Version} rules.
 */
public final class Serializers {
  private Serializers() {}

  /**
   * The serializer for {@code vsn}: missing means 1.0.0; a semantic version matching {@code ~> 1.0.0} or
   * {@code ~> 2.0.0} picks V1 or V2; anything else (unparsable or unsupported) is empty and the connection must be
   * refused.
   */
  public static Optional<Serializer> forVsn(String vsnOrNull) {
    if (vsnOrNull == null) {
      return Optional.of(V1JsonSerializer.INSTANCE);
    }
    Version v = Version.parse(vsnOrNull);
    if (v == null || !v.minor.equals("0")) {
      return Optional.empty();
    }
    // "~> X.0.0" means ">= X.0.0 and < X.1.0-0": so X.0.0-pre is too low, while X.0.1-pre is inside.
    if (v.patch.equals("0") && v.hasPre) {
      return Optional.empty();
    }
    return switch (v.major) {
      case "1" -> Optional.of(V1JsonSerializer.INSTANCE);
      case "2" -> Optional.of(V2JsonSerializer.INSTANCE);
      default -> Optional.empty();
    };
  }

  /**
   * A version parsed like Elixir's {@code Version.parse/1}: numbers kept as digit strings, which is exact because
   * leading zeros are refused, and avoids overflow on absurd inputs.
   */
  private record Version(String major, String minor, String patch, boolean hasPre) {
    static Version parse(String s) {
      String rest = s;
      int plus = rest.indexOf('+');
      if (plus >= 0) {
        if (!identifiers(rest.substring(plus + 1), false)) {
          return null;
        }
        rest = rest.substring(0, plus);
      }
      int dash = rest.indexOf('-');
      boolean hasPre = dash >= 0;
      if (hasPre) {
        if (!identifiers(rest.substring(dash + 1), true)) {
          return null;
        }
        rest = rest.substring(0, dash);
      }
      String[] parts = rest.split("\\.", -1);
      if (parts.length != 3 || !number(parts[0]) || !number(parts[1]) || !number(parts[2])) {
        return null;
      }
      return new Version(parts[0], parts[1], parts[2], hasPre);
    }

    /** ASCII digits, at least one, no leading zero. */
    private static boolean number(String s) {
      return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9') && !(s.length() > 1 && s.charAt(0) == '0');
    }

    /** Dot-separated non-empty [0-9A-Za-z-] identifiers; numeric pre-release ones may not have leading zeros. */
    private static boolean identifiers(String s, boolean pre) {
      for (String id : s.split("\\.", -1)) {
        if (id.isEmpty() || !id.chars().allMatch(Version::identifierChar)) {
          return false;
        }
        if (pre && id.chars().allMatch(c -> c >= '0' && c <= '9') && !number(id)) {
          return false;
        }
      }
      return true;
    }

    private static boolean identifierChar(int c) {
      return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
    }
  }
}
