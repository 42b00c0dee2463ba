package dev.cinder.internal.presence;

import dev.cinder.Payload;
import dev.cinder.internal.Json;
import dev.cinder.internal.presence.TrackerMessage.GracefulPermdown;
import dev.cinder.internal.presence.TrackerMessage.Heartbeat;
import dev.cinder.internal.presence.TrackerMessage.TransferAck;
import dev.cinder.internal.presence.TrackerMessage.TransferReq;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Tracker messages as JSON payloads, so that any PubSub adapter can carry them. The event names the message
 * kind; the payload holds {@code from} as {@code [name, vsn]}, contexts as {@code [[name, vsn, clock], …]},
 * elements as {@code [clock, topic, key, meta]} (delta: the sender's own) or
 * {@code [contextIndex, clock, topic, key, meta]} (transfer: any replica listed in its context).
 */
public final class TrackerCodec {
  public static final String HEARTBEAT = "heartbeat";
  public static final String TRANSFER_REQ = "transfer_req";
  public static final String TRANSFER_ACK = "transfer_ack";
  public static final String GRACEFUL_PERMDOWN = "graceful_permdown";

  private TrackerCodec() {}

  public static String event(TrackerMessage message) {
    return switch (message) {
      case Heartbeat h -> HEARTBEAT;
      case TransferReq r -> TRANSFER_REQ;
      case TransferAck a -> TRANSFER_ACK;
      case GracefulPermdown g -> GRACEFUL_PERMDOWN;
    };
  }

  public static Payload encode(TrackerMessage message) {
    ObjectNode json = Json.MAPPER.createObjectNode();
    json.set("from", ref(message.from()));
    switch (message) {
      case Heartbeat h -> {
        json.set("clocks", context(h.clocks(), new ArrayList<>()));
        json.set("delta", h.delta() == null ? null : delta(h.delta()));
      }
      case TransferReq r -> {
        json.put("to", r.to()).put("ref", r.ref());
        json.set("context", context(r.context(), new ArrayList<>()));
      }
      case TransferAck a -> {
        json.put("to", a.to()).put("ref", a.ref());
        List<ReplicaRef> order = new ArrayList<>();
        json.set("context", context(a.state().context(), order));
        ArrayNode elements = json.putArray("elements");
        for (Element e : a.state().elements()) {
          ArrayNode row = elements.addArray().add(order.indexOf(e.replica())).add(e.clock()).add(e.topic()).add(e.key());
          row.add(Json.MAPPER.<JsonNode>valueToTree(e.meta()));
        }
      }
      case GracefulPermdown g -> {}
    }
    return Payload.json(json);
  }

  /** The recipient of a directed message, or null for one meant for every replica. */
  public static String recipient(Payload payload) {
    return payload.string("to");
  }

  /**
   * Decodes a message; throws {@link IllegalArgumentException} on anything it does not understand. Every field is
   * checked for its JSON type here, so what a peer sends cannot fail later inside the tracker or presence code.
   */
  public static TrackerMessage decode(String event, Payload payload) {
    try {
      JsonNode json = payload.json();
      ReplicaRef from = ref(json.get("from"));
      return switch (event) {
        case HEARTBEAT -> {
          JsonNode delta = json.get("delta");
          yield new Heartbeat(from, delta == null || delta.isNull() ? null : delta(from, delta),
              context(json.get("clocks"), new ArrayList<>()));
        }
        case TRANSFER_REQ -> new TransferReq(from, string(json.get("to"), "to"), number(json.get("ref"), "ref"),
            context(json.get("context"), new ArrayList<>()));
        case TRANSFER_ACK -> {
          List<ReplicaRef> order = new ArrayList<>();
          Map<ReplicaRef, Long> context = context(json.get("context"), order);
          List<Element> elements = new ArrayList<>();
          for (JsonNode row : array(json.get("elements"), "elements")) {
            long index = number(row.get(0), "context index");
            if (index < 0 || index >= order.size()) {
              throw new IllegalArgumentException("context index " + index + " out of range");
            }
            elements.add(element(order.get((int) index), row, 1));
          }
          yield new TransferAck(from, string(json.get("to"), "to"), number(json.get("ref"), "ref"),
              new StateSnapshot(context, elements));
        }
        case GRACEFUL_PERMDOWN -> new GracefulPermdown(from);
        default -> throw new IllegalArgumentException("unknown tracker event " + event);
      };
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("malformed tracker message " + event + ": " + e.getMessage(), e);
    }
  }

  private static ArrayNode ref(ReplicaRef ref) {
    return Json.MAPPER.createArrayNode().add(ref.name()).add(ref.vsn());
  }

  private static ReplicaRef ref(JsonNode json) {
    array(json, "replica");
    return new ReplicaRef(string(json.get(0), "replica name"), number(json.get(1), "replica vsn"));
  }

  private static ArrayNode context(Map<ReplicaRef, Long> context, List<ReplicaRef> order) {
    ArrayNode json = Json.MAPPER.createArrayNode();
    context.forEach((replica, clock) -> {
      order.add(replica);
      json.addArray().add(replica.name()).add(replica.vsn()).add(clock);
    });
    return json;
  }

  private static Map<ReplicaRef, Long> context(JsonNode json, List<ReplicaRef> order) {
    Map<ReplicaRef, Long> context = new HashMap<>();
    for (JsonNode row : array(json, "context")) {
      ReplicaRef replica = ref(row);
      order.add(replica);
      context.put(replica, number(row.get(2), "clock"));
    }
    return context;
  }

  private static ObjectNode delta(Delta delta) {
    ObjectNode json = Json.MAPPER.createObjectNode().put("from", delta.fromClock()).put("to", delta.toClock());
    ArrayNode adds = json.putArray("adds");
    for (Element e : delta.adds()) {
      adds.addArray().add(e.clock()).add(e.topic()).add(e.key()).add(Json.MAPPER.<JsonNode>valueToTree(e.meta()));
    }
    ArrayNode removes = json.putArray("removes");
    delta.removes().forEach(removes::add);
    return json;
  }

  private static Delta delta(ReplicaRef from, JsonNode json) {
    List<Element> adds = new ArrayList<>();
    for (JsonNode row : array(json.get("adds"), "adds")) {
      adds.add(element(from, row, 0));
    }
    List<Long> removes = new ArrayList<>();
    for (JsonNode clock : array(json.get("removes"), "removes")) {
      removes.add(number(clock, "removed clock"));
    }
    return new Delta(from, number(json.get("from"), "delta from"), number(json.get("to"), "delta to"), adds, removes);
  }

  /** Reads {@code [clock, topic, key, meta]} starting at {@code at}; the meta must carry a string phx_ref. */
  @SuppressWarnings("unchecked")
  private static Element element(ReplicaRef replica, JsonNode row, int at) {
    array(row, "element");
    JsonNode metaJson = row.get(at + 3);
    if (metaJson == null || !metaJson.isObject() || !(metaJson.get(Element.PHX_REF) instanceof JsonNode ref)
        || !ref.isString()) {
      throw new IllegalArgumentException("an element's meta must be an object with a string phx_ref");
    }
    Map<String, Object> meta = Json.MAPPER.convertValue(metaJson, LinkedHashMap.class);
    return new Element(replica, number(row.get(at), "element clock"), string(row.get(at + 1), "topic"),
        string(row.get(at + 2), "key"), CompactMap.copyOf(meta), null);
  }

  private static JsonNode array(JsonNode json, String what) {
    if (json == null || !json.isArray()) {
      throw new IllegalArgumentException(what + " must be an array");
    }
    return json;
  }

  private static String string(JsonNode json, String what) {
    if (json == null || !json.isString()) {
      throw new IllegalArgumentException(what + " must be a string");
    }
    return json.stringValue();
  }

  private static long number(JsonNode json, String what) {
    if (json == null || !json.isIntegralNumber() || !json.canConvertToLong()) {
      throw new IllegalArgumentException(what + " must be an integer");
    }
    return json.longValue();
  }
}
