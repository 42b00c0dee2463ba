package dev.cinder.internal;

import java.util.function.Function;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.NumericNode;
import tools.jackson.databind.node.ValueNode;

/**
 * Builds JSON trees from untrusted text, refusing float literals beyond the range of a double ({@code 1e400}).
 * Jackson would read those as infinite doubles, which JSON cannot carry, and write them back as the string
 * {@code "Infinity"}: a payload would change type on its way to other clients. Phoenix's JSON decoder refuses such
 * numbers too. The refusal is the decoder's own exception, made by {@code refusal} from a message.
 */
public final class FiniteNodeFactory extends JsonNodeFactory {
  private final Function<String, RuntimeException> refusal;

  public FiniteNodeFactory(Function<String, RuntimeException> refusal) {
    this.refusal = refusal;
  }

  @Override
  public NumericNode numberNode(double v) {
    if (!Double.isFinite(v)) {
      throw refusal.apply("a number is out of the range of a double");
    }
    return super.numberNode(v);
  }

  @Override
  public ValueNode numberNode(Double v) {
    return v == null ? nullNode() : numberNode(v.doubleValue());
  }
}
