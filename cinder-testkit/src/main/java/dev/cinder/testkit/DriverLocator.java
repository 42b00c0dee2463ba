package dev.cinder.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds {@code cinder-testkit/js/driver.mjs} and checks that its node_modules were installed. */
final class DriverLocator {
  /** A path to driver.mjs or to the directory holding it; overrides the search. */
  static final String DRIVER_PROPERTY = "cinder.testkit.js";
  /** The node executable (default: {@code node} on the PATH). */
  static final String NODE_PROPERTY = "cinder.testkit.node";

  private static final Path RELATIVE = Path.of("cinder-testkit", "js", "driver.mjs");

  private DriverLocator() {}

  /** The configured driver, else the first {@code cinder-testkit/js/driver.mjs} walking up from the working dir. */
  static Path find() {
    String configured = System.getProperty(DRIVER_PROPERTY);
    if (configured != null && !configured.isBlank()) {
      Path path = Path.of(configured).toAbsolutePath();
      Path driver = Files.isDirectory(path) ? path.resolve("driver.mjs") : path;
      if (!Files.isRegularFile(driver)) {
        throw new IllegalStateException("-D" + DRIVER_PROPERTY + "=" + configured + " does not point to driver.mjs");
      }
      return driver;
    }
    Path start = Path.of("").toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(RELATIVE);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("cannot find " + RELATIVE + " in " + start + " or any parent directory; set -D"
        + DRIVER_PROPERTY + "=/path/to/cinder-testkit/js");
  }

  /** Fails with the command that fixes it when phoenix or ws are not installed next to the driver. */
  static void checkInstalled(Path driver) {
    Path js = driver.getParent();
    for (String pkg : new String[] {"phoenix", "ws"}) {
      if (!Files.isRegularFile(js.resolve("node_modules").resolve(pkg).resolve("package.json"))) {
        throw new IllegalStateException("npm package " + pkg + " is not installed in " + js.resolve("node_modules")
            + ": run `mvn -pl cinder-testkit generate-resources` (or `npm ci` in " + js + ")");
      }
    }
  }

  static String node() {
    return System.getProperty(NODE_PROPERTY, "node");
  }
}
