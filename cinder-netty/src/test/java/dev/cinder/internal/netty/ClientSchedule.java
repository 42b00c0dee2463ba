package dev.cinder.internal.netty;

import java.util.Random;

/**
 * How the fuzzed client sends its bytes, chosen by an input's first byte (the rest is what it sends):
 * <ul>
 *   <li>the low four bits {@code n}: each read brings 1 to 2<sup>n</sup> bytes (0: one byte at a time,
 *       15: usually all at once), as TCP may split a stream anywhere;
 *   <li>{@code 0x10}: the client pauses between reads now and then, up to 1.5 s, long enough for the header and
 *       body timers to run out;
 *   <li>{@code 0x20}: the answers of routes and connects (run off the event loop in the server) come at
 *       random later points rather than right after the read that asked;
 *   <li>{@code 0x40}: at the end the client vanishes (the connection closes at once) rather than going quiet
 *       and waiting for the server to close.
 * </ul>
 * The whole byte also seeds the random choices, so an input always runs the same way.
 */
final class ClientSchedule {
  private final int maxRead;
  private final boolean pauses;
  private final boolean lateAnswers;
  private final boolean vanishes;
  private final Random random;

  ClientSchedule(byte first) {
    int bits = first & 0xff;
    this.maxRead = 1 << (bits & 0x0f);
    this.pauses = (bits & 0x10) != 0;
    this.lateAnswers = (bits & 0x20) != 0;
    this.vanishes = (bits & 0x40) != 0;
    this.random = new Random(bits);
  }

  int nextReadSize() {
    return 1 + random.nextInt(maxRead);
  }

  /** How long the client waits before its next read, in milliseconds: usually 0. */
  long pauseMillis() {
    return pauses && random.nextInt(4) == 0 ? random.nextInt(1500) : 0;
  }

  /** Whether answers waiting off the event loop are given now, after a read. */
  boolean answerNow() {
    return !lateAnswers || random.nextInt(3) == 0;
  }

  /** Which of {@code waiting} answers runs next. */
  int pick(int waiting) {
    return lateAnswers ? random.nextInt(waiting) : 0;
  }

  boolean vanishes() {
    return vanishes;
  }
}
