package dev.cinder.internal.presence;

import java.util.Map;

/**
 * One tracked presence as the replicated set stores it: a meta for {@code key} on {@code topic}, tagged with
 * the replica that added it and that replica's clock at the time ({@code replica}, {@code clock} is the tag,
 * unique cluster-wide). {@code owner} is the local tracking process (a channel, any object), null for
 * elements owned by other replicas. {@code meta} is immutable and carries {@code phx_ref}.
 */
public record Element(ReplicaRef replica, long clock, String topic, String key, Map<String, Object> meta, Object owner) {
  public static final String PHX_REF = "phx_ref";
  public static final String PHX_REF_PREV = "phx_ref_prev";

  public String phxRef() {
    return (String) meta.get(PHX_REF);
  }
}
