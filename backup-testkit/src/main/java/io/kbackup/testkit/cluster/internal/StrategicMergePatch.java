package io.kbackup.testkit.cluster.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A strategic merge patch good enough for {@code kubectl apply} and fabric8's default patch:
 * maps merge recursively, {@code null} deletes, lists of objects whose field has a well-known
 * merge key in the Kubernetes API ({@code containers} by name, {@code volumeMounts} by mountPath,
 * ...) merge by that key, other lists are replaced, {@code finalizers} merge as a set. Directives
 * {@code $patch} (replace, delete, merge), {@code $retainKeys}, {@code $setElementOrder/<field>}
 * and {@code $deleteFromPrimitiveList/<field>} are honoured.
 *
 * <p>Merge keys are looked up by field name, not from the OpenAPI schema as a real server does,
 * so a custom resource list named like a built-in one (e.g. "containers") also merges by key.
 */
public final class StrategicMergePatch {

  private static final Map<String, List<String>> MERGE_KEYS = Map.ofEntries(
      Map.entry("containers", List.of("name")),
      Map.entry("initContainers", List.of("name")),
      Map.entry("ephemeralContainers", List.of("name")),
      Map.entry("env", List.of("name")),
      Map.entry("volumes", List.of("name")),
      Map.entry("volumeMounts", List.of("mountPath")),
      Map.entry("volumeDevices", List.of("devicePath")),
      Map.entry("ports", List.of("containerPort", "port")),
      Map.entry("imagePullSecrets", List.of("name")),
      Map.entry("secrets", List.of("name")),
      Map.entry("ownerReferences", List.of("uid")),
      Map.entry("conditions", List.of("type")),
      Map.entry("hostAliases", List.of("ip")),
      Map.entry("addresses", List.of("type")),
      Map.entry("resourceClaims", List.of("name")),
      Map.entry("schedulingGates", List.of("name")),
      Map.entry("topologySpreadConstraints", List.of("topologyKey")));
  private static final Set<String> SET_LISTS = Set.of("finalizers");
  private static final String PATCH = "$patch";
  private static final String RETAIN_KEYS = "$retainKeys";
  private static final String ORDER = "$setElementOrder/";
  private static final String DELETE_FROM = "$deleteFromPrimitiveList/";

  private StrategicMergePatch() {}

  /**
   * Applies a patch to a document.
   *
   * @param target the current object (not modified)
   * @param patch the patch object
   * @return the patched copy
   * @throws IllegalArgumentException if the patch is not a JSON object
   */
  public static JsonNode apply(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      throw new IllegalArgumentException("a strategic merge patch must be a JSON object");
    }
    ObjectNode base = target != null && target.isObject() ? ((ObjectNode) target).deepCopy()
        : JsonNodeFactory.instance.objectNode();
    return mergeObject(base, (ObjectNode) patch);
  }

  private static ObjectNode mergeObject(ObjectNode target, ObjectNode patch) {
    String directive = patch.path(PATCH).asText("");
    if (directive.equals("replace")) {
      ObjectNode replaced = patch.deepCopy();
      stripDirectives(replaced);
      return replaced;
    }
    Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      String name = f.getKey();
      JsonNode value = f.getValue();
      if (name.equals(PATCH) || name.equals(RETAIN_KEYS) || name.startsWith(ORDER)) {
        continue;
      }
      if (name.startsWith(DELETE_FROM)) {
        String field = name.substring(DELETE_FROM.length());
        JsonNode current = target.get(field);
        if (current != null && current.isArray() && value.isArray()) {
          Set<JsonNode> remove = new HashSet<>();
          value.forEach(remove::add);
          ArrayNode kept = JsonNodeFactory.instance.arrayNode();
          current.forEach(e -> {
            if (!remove.contains(e)) {
              kept.add(e);
            }
          });
          target.set(field, kept);
        }
        continue;
      }
      if (value.isNull()) {
        target.remove(name);
      } else if (value.isObject()) {
        if (value.path(PATCH).asText("").equals("delete")) {
          target.remove(name);
          continue;
        }
        JsonNode current = target.get(name);
        ObjectNode base = current != null && current.isObject() ? (ObjectNode) current
            : JsonNodeFactory.instance.objectNode();
        target.set(name, mergeObject(base, (ObjectNode) value));
      } else if (value.isArray()) {
        target.set(name, mergeList(name, target.get(name), (ArrayNode) value,
            patch.get(ORDER + name)));
      } else {
        target.set(name, value.deepCopy());
      }
    }
    JsonNode retain = patch.get(RETAIN_KEYS);
    if (retain != null && retain.isArray()) {
      Set<String> keep = new HashSet<>();
      retain.forEach(k -> keep.add(k.asText()));
      target.retain(keep);
    }
    return target;
  }

  private static JsonNode mergeList(String field, JsonNode current, ArrayNode patch,
      JsonNode order) {
    ArrayNode base = current != null && current.isArray() ? (ArrayNode) current
        : JsonNodeFactory.instance.arrayNode();
    if (SET_LISTS.contains(field)) {
      ArrayNode union = base.deepCopy();
      Set<JsonNode> present = new HashSet<>();
      union.forEach(present::add);
      patch.forEach(e -> {
        if (present.add(e)) {
          union.add(e.deepCopy());
        }
      });
      return union;
    }
    String key = mergeKey(field, base, patch);
    if (key == null) {
      ArrayNode replaced = patch.deepCopy();
      replaced.forEach(e -> {
        if (e.isObject()) {
          stripDirectives((ObjectNode) e);
        }
      });
      return replaced;
    }
    List<JsonNode> result = new ArrayList<>();
    base.forEach(e -> result.add(e.deepCopy()));
    for (JsonNode p : patch) {
      if (!p.isObject()) {
        continue;
      }
      String d = p.path(PATCH).asText("");
      if (d.equals("replace") && !p.has(key)) { // {"$patch": "replace"} replaces the list
        ArrayNode replaced = JsonNodeFactory.instance.arrayNode();
        patch.forEach(e -> {
          if (e.isObject() && e.has(key)) {
            ObjectNode copy = ((ObjectNode) e).deepCopy();
            stripDirectives(copy);
            replaced.add(copy);
          }
        });
        return replaced;
      }
      int at = indexOf(result, key, p.get(key));
      if (d.equals("delete")) {
        if (at >= 0) {
          result.remove(at);
        }
      } else if (at >= 0) {
        result.set(at, mergeObject((ObjectNode) result.get(at), (ObjectNode) p));
      } else {
        ObjectNode added = ((ObjectNode) p).deepCopy();
        stripDirectives(added);
        result.add(added);
      }
    }
    if (order != null && order.isArray()) {
      List<JsonNode> ordered = new ArrayList<>();
      for (JsonNode o : order) {
        int at = indexOf(result, key, o.get(key));
        if (at >= 0) {
          ordered.add(result.remove(at));
        }
      }
      ordered.addAll(result);
      result.clear();
      result.addAll(ordered);
    }
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    result.forEach(out::add);
    return out;
  }

  private static String mergeKey(String field, ArrayNode base, ArrayNode patch) {
    List<String> candidates = MERGE_KEYS.get(field);
    if (candidates == null) {
      return null;
    }
    for (String k : candidates) {
      boolean used = false;
      for (JsonNode e : patch) {
        used |= e.isObject() && e.has(k);
      }
      for (JsonNode e : base) {
        used |= e.isObject() && e.has(k);
      }
      if (used) {
        return k;
      }
    }
    return null;
  }

  private static int indexOf(List<JsonNode> list, String key, JsonNode value) {
    if (value == null) {
      return -1;
    }
    for (int i = 0; i < list.size(); i++) {
      if (value.equals(list.get(i).get(key))) {
        return i;
      }
    }
    return -1;
  }

  private static void stripDirectives(ObjectNode node) {
    node.remove(PATCH);
    node.remove(RETAIN_KEYS);
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    for (String n : names) {
      if (n.startsWith(ORDER) || n.startsWith(DELETE_FROM)) {
        node.remove(n);
      } else if (node.get(n).isObject()) {
        stripDirectives((ObjectNode) node.get(n));
      }
    }
  }
}
