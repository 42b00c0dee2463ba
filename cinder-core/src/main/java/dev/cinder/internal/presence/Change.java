package dev.cinder.internal.presence;

/**
 * A presence that became visible ({@code join}) or stopped being visible (leave) on this node: the output of
 * every tracker operation, from which Presence keeps its local view and builds {@code presence_diff}.
 */
public record Change(boolean join, Element element) {
  public static Change join(Element element) {
    return new Change(true, element);
  }

  public static Change leave(Element element) {
    return new Change(false, element);
  }
}
