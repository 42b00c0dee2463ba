package dev.cinder.bench.micro;

import dev.cinder.token.PhoenixToken;
import dev.cinder.token.TokenResult;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** {@link PhoenixToken}: the verify every socket connect pays (the PBKDF2 key is cached per salt), and sign. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TokenBench {
  private final PhoenixToken tokens = PhoenixToken.forSecret("bench-secret-key-base-0123456789abcdef0123456789abcdef");
  private final String token = tokens.sign("user auth", "alice");

  @Benchmark
  public TokenResult verify() {
    return tokens.verify("user auth", token, PhoenixToken.DEFAULT_MAX_AGE);
  }

  @Benchmark
  public String sign() {
    return tokens.sign("user auth", "alice");
  }
}
