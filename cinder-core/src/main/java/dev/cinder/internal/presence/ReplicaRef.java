package dev.cinder.internal.presence;

import java.util.Objects;

/**
 * One incarnation of a replica: the node's name and a version fixed when the tracker starts. A restarted node
 * comes back under the same name with a new, larger {@code vsn}, so its peers can tell the two apart.
 */
public record ReplicaRef(String name, long vsn) {
  public ReplicaRef {
    Objects.requireNonNull(name, "name");
  }

  @Override
  public String toString() {
    return name + "@" + vsn;
  }
}
