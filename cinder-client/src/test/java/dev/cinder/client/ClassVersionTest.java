package dev.cinder.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The client runs on Java 17: every main class must be a class file of version 61. */
class ClassVersionTest {
  @Test
  void everyMainClassIsAJava17ClassFile() throws IOException, URISyntaxException {
    Path classes = Path.of(Socket.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<Path> files;
    try (Stream<Path> walk = Files.walk(classes)) {
      files = walk.filter(p -> p.toString().endsWith(".class")).toList();
    }
    assertThat(files).hasSizeGreaterThan(20);
    for (Path file : files) {
      try (InputStream in = Files.newInputStream(file); DataInputStream data = new DataInputStream(in)) {
        assertThat(data.readInt()).isEqualTo(0xCAFEBABE);
        data.readUnsignedShort();
        assertThat(data.readUnsignedShort()).as("major version of %s", classes.relativize(file)).isEqualTo(61);
      }
    }
  }
}
