package dev.cinder.example.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code GET /} and the page's files over HTTP: content types, the official client, and nothing else reachable. */
class WebPageTest {
  @RegisterExtension
  static final ChatServer server = ChatServer.perClass();



  @Test
  void thePageIsHtmlWithAStrictContentSecurityPolicy() throws Exception {
    ChatServer.Response page = server.get("/");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("content-type")).isEqualTo("text/html; charset=utf-8");
    assertThat(page.header("x-content-type-options")).isEqualTo("nosniff");
    assertThat(page.header("content-security-policy")).contains("default-src 'self'", "script-src 'self'");
    assertThat(page.body()).contains("<title>Cinder chat</title>", "<script type=\"module\" src=\"/app.js\"></script>");
  }

  @Test
  void scriptsAndStylesHaveTheirContentTypes() throws Exception {
    ChatServer.Response app = server.get("/app.js");
    assertThat(app.header("content-type")).isEqualTo("text/javascript; charset=utf-8");
    assertThat(app.body()).contains("import { Socket } from \"/vendor/phoenix.mjs\"");
    assertThat(server.get("/style.css").header("content-type")).isEqualTo("text/css; charset=utf-8");
    assertThat(server.get("/favicon.svg").header("content-type")).isEqualTo("image/svg+xml");
  }

  @Test
  void theClientIsTheOfficialNpmPackageAsInstalled() throws Exception {
    Path installed = Path.of("web/node_modules/phoenix");
    assertThat(Files.readString(installed.resolve("package.json"))).contains("\"version\": \"1.8.16\"");
    ChatServer.Response client = server.get("/vendor/phoenix.mjs");
    assertThat(client.status()).isEqualTo(200);
    assertThat(client.header("content-type")).isEqualTo("text/javascript; charset=utf-8");
    assertThat(client.raw().body()).isEqualTo(Files.readAllBytes(installed.resolve("priv/static/phoenix.mjs")));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "/index.html", "/web/index.html", "/vendor/phoenix.js", "/vendor/", "/../pom.xml", "/vendor/../../pom.xml",
      "/%2e%2e/%2e%2e/pom.xml", "/vendor/..%2f..%2fpom.xml", "/app.js/..", "//etc/passwd", "/logback.xml",
      "/dev/cinder/example/chat/ChatApp.class", "/app.js%00.html"})
  void nothingElseIsServed(String path) throws Exception {
    String response = rawGet(path);
    assertThat(response).as(path).startsWith("HTTP/1.1 404").doesNotContain("<project", "root:", "<configuration");
  }

  @Test
  void onlyGetIsAllowed() throws Exception {
    assertThat(server.post("/", "{}", null).status()).isEqualTo(405);
  }

  /** A request line exactly as given, so no client library normalizes the path first. */
  private static String rawGet(String path) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      return all.toString(StandardCharsets.UTF_8);
    }
  }
}
