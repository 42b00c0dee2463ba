package dev.cinder.bench.runner;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Starts the JVMs of a benchmark run (servers, generators) on the runner's own classpath, each with its soft
 * open-file limit raised to the hard one, and stops every one of them: on {@link #stop}, and from a shutdown
 * hook if the runner itself is interrupted.
 */
public final class Processes {
  private static final List<Process> STARTED = new CopyOnWriteArrayList<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(Processes::stopAll, "bench-stop-children"));
  }

  private Processes() {}

  /** Starts {@code java jvmFlags mainClass args} with extra env; stdout and stderr go to {@code log} unless piped. */
  public static Process java(List<String> jvmFlags, String mainClass, List<String> args, Map<String, String> env,
      Path log, boolean pipeStdio) {
    return java(System.getProperty("java.class.path"), jvmFlags, mainClass, args, env, log, pipeStdio);
  }

  /** The same on another classpath (another build of the servers). */
  public static Process java(String classpath, List<String> jvmFlags, String mainClass, List<String> args,
      Map<String, String> env, Path log, boolean pipeStdio) {
    List<String> command = new ArrayList<>(List.of("bash", "-c", "ulimit -n $(ulimit -Hn) && exec \"$@\"", "bash"));
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags);
    command.add("-cp");
    command.add(classpath);
    command.add(mainClass);
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(env);
    File logFile = log.toFile();
    if (pipeStdio) {
      builder.redirectError(ProcessBuilder.Redirect.appendTo(logFile));
    } else {
      builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(logFile));
    }
    try {
      Process process = builder.start(); // `exec` makes the java process the one we hold: same pid
      STARTED.add(process);
      return process;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts any command with its output to {@code log}; stopped like the JVMs. */
  public static Process command(List<String> command, Path log) {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    try {
      Process process = builder.start();
      STARTED.add(process);
      return process;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Asks the process to exit (SIGTERM: shutdown hooks run, JFR dumps), then kills it after 10 s. */
  public static void stop(Process process) {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      STARTED.remove(process);
    }
  }

  static void stopAll() {
    List<Process> left = List.copyOf(STARTED);
    left.forEach(Process::destroy);
    for (Process p : left) {
      try {
        if (!p.waitFor(3, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
      }
    }
  }
}
