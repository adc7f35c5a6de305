package io.kbackup.testkit.cluster.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** The JSON helpers of {@link StrategicMergePatch}: directive and null removal, scalar equality, list/array conversion. */
final class PatchNodes {

  static final JsonNodeFactory F = JsonNodeFactory.instance;
  static final String DIRECTIVE = "$patch";
  static final String DELETE = "delete";

  private PatchNodes() {}

  /** Removes directive maps ({@code $patch}) from a value; null when the value itself is one. */
  static JsonNode removeDirectives(JsonNode value) {
    if (value.isObject()) {
      if (value.has(DIRECTIVE)) {
        return null;
      }
      ObjectNode o = (ObjectNode) value;
      for (String k : fieldNames(o)) {
        JsonNode v = removeDirectives(o.get(k));
        if (v == null) {
          o.remove(k);
        } else {
          o.set(k, v);
        }
      }
      return o;
    }
    if (value.isArray()) {
      ArrayNode out = F.arrayNode();
      for (JsonNode v : value) {
        JsonNode kept = removeDirectives(v);
        if (kept != null) {
          out.add(kept);
        }
      }
      return out;
    }
    return value;
  }

  static void discardNulls(JsonNode value) {
    if (value.isObject()) {
      ObjectNode o = (ObjectNode) value;
      for (String k : fieldNames(o)) {
        if (o.get(k).isNull()) {
          o.remove(k);
        } else {
          discardNulls(o.get(k));
        }
      }
    } else if (value.isArray()) {
      value.forEach(PatchNodes::discardNulls);
    }
  }

  /** What decoding into the Go types leaves: no directive keys, no null fields. */
  static ObjectNode dropDirectivesAndNulls(ObjectNode object) {
    for (String k : fieldNames(object)) {
      JsonNode v = object.get(k);
      if (v.isNull() || k.startsWith("$")) {
        object.remove(k);
      } else if (v.isObject()) {
        dropDirectivesAndNulls((ObjectNode) v);
      } else if (v.isArray()) {
        v.forEach(e -> {
          if (e.isObject()) {
            dropDirectivesAndNulls((ObjectNode) e);
          }
        });
      }
    }
    return object;
  }

  static boolean scalarEquals(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    return a.equals(b);
  }

  static PatchFailure noMergeKey(JsonNode map, String mergeKey) {
    return PatchFailure.internal("map: " + map + " does not contain declared merge key: "
        + mergeKey);
  }

  static List<String> fieldNames(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  static List<JsonNode> list(JsonNode array) {
    List<JsonNode> l = new ArrayList<>();
    if (array != null) {
      array.forEach(l::add);
    }
    return l;
  }

  static ArrayNode array(List<JsonNode> items) {
    ArrayNode a = F.arrayNode();
    items.forEach(a::add);
    return a;
  }

  static boolean isEmpty(String s) {
    return s == null || s.isEmpty();
  }
}
