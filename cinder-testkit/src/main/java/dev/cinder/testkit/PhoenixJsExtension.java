package dev.cinder.testkit;

import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link PhoenixJs} (one node process) for a test class: started before the first test, checked for
 * driver errors after each test, closed after the last.
 *
 * <pre>{@code
 * @RegisterExtension static final PhoenixJsExtension js = new PhoenixJsExtension();
 * ... js.connect(url, Map.of("token", token)).channel("room:1").join() ...
 * }</pre>
 */
public final class PhoenixJsExtension implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
  private PhoenixJs js;

  /** An extension whose node process starts before the class's first test. */
  public PhoenixJsExtension() {}

  @Override
  public void beforeAll(ExtensionContext context) {
    js = PhoenixJs.start();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    js.assertNoDriverErrors();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (js != null) {
      js.close();
      js = null;
    }
  }

  /** The running driver. */
  public PhoenixJs get() {
    if (js == null) {
      throw new IllegalStateException("PhoenixJsExtension is not running: register it with @RegisterExtension on a static field");
    }
    return js;
  }

  public JsSocket connect(String url, Map<String, ?> params) {
    return get().connect(url, params);
  }

  public JsSocket connect(String url, JsSocketOptions options) {
    return get().connect(url, options);
  }
}
