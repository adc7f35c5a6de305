package io.kbackup.testkit.cluster.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Strategic merge patch as the API server applies it to built-in kinds: a port of
 * {@code mergeMap} in k8s.io/apimachinery's {@code pkg/util/strategicpatch/patch.go} (v0.35) with
 * the server's options (parallel deletion lists merged, nulls in the patch that match nothing
 * dropped), driven by the patch strategies and merge keys of the Kubernetes API
 * ({@link PatchSchema}):
 * <ul>
 *   <li>maps merge recursively, {@code null} deletes a key; a field with strategy
 *       {@code replace} is replaced;</li>
 *   <li>lists with strategy {@code merge} merge: lists of objects by their merge key
 *       ({@code containers} by name, Service {@code ports} by port, ...), lists of scalars as a
 *       set; the order is the patch's for patched items, with the others kept where they were;
 *       every other list (e.g. {@code tolerations}) is replaced;</li>
 *   <li>directives: {@code $patch: replace|delete} in a map or a list item,
 *       {@code $retainKeys}, {@code $deleteFromPrimitiveList/<field>} and
 *       {@code $setElementOrder/<field>}.</li>
 * </ul>
 * Errors map to the status codes the API server answers with ({@link PatchFailure}). Like the
 * server's typed decoding after the merge, the result keeps no directive keys and no
 * {@code null} fields.
 */
public final class StrategicMergePatch {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final String DIRECTIVE = "$patch";
  private static final String REPLACE = "replace";
  private static final String DELETE = "delete";
  private static final String MERGE = "merge";
  private static final String RETAIN_KEYS = "$retainKeys";
  private static final String RETAIN_KEYS_STRATEGY = "retainKeys";
  private static final String ORDER = "$setElementOrder/";
  private static final String DELETE_FROM = "$deleteFromPrimitiveList/";

  private StrategicMergePatch() {}

  /**
   * Applies a patch to an object of a built-in kind.
   *
   * @param target the current object (not modified)
   * @param patch the patch (not modified)
   * @param schema the kind's schema, see {@link PatchSchema#forKind}
   * @return the patched copy
   * @throws PatchFailure if the server would refuse the patch
   */
  public static JsonNode apply(JsonNode target, JsonNode patch, PatchSchema.Type schema) {
    if (patch == null || !patch.isObject()) {
      throw PatchFailure.badRequest("invalid JSON document");
    }
    ObjectNode original = target != null && target.isObject() ? ((ObjectNode) target).deepCopy()
        : F.objectNode();
    ObjectNode merged = mergeMap(original, ((ObjectNode) patch).deepCopy(), schema);
    return dropDirectivesAndNulls(merged);
  }

  private static ObjectNode mergeMap(ObjectNode original, ObjectNode patch,
      PatchSchema.Type schema) {
    JsonNode directive = patch.get(DIRECTIVE);
    if (directive != null) {
      if (REPLACE.equals(directive.asText(null))) {
        patch.remove(DIRECTIVE);
        return patch;
      }
      if (DELETE.equals(directive.asText(null))) {
        return F.objectNode();
      }
      throw PatchFailure.internal("unknown patch type: " + directive + " in map: " + patch);
    }
    applyRetainKeys(original, patch);
    mergePatchIntoOriginal(original, patch, schema);
    for (String key : fieldNames(patch)) {
      JsonNode patchValue = patch.get(key);
      String k = key;
      boolean deleteList = false;
      if (key.startsWith(DELETE_FROM)) {
        deleteList = true;
        k = key.substring(DELETE_FROM.length());
      }
      if (patchValue.isNull()) {
        original.remove(k);
        continue;
      }
      JsonNode originalValue = original.get(k);
      if (originalValue == null || originalValue.getNodeType() != patchValue.getNodeType()) {
        if (!deleteList) {
          discardNulls(patchValue);
          JsonNode v = removeDirectives(patchValue);
          if (v == null) {
            original.remove(k);
          } else {
            original.set(k, v);
          }
        }
        continue;
      }
      PatchSchema.Field field = schema == null ? null : schema.field(k);
      PatchSchema.Type sub = schema == null ? null : schema.fieldType(k);
      String strategy = strategyWithoutRetainKeys(field);
      if (originalValue.isObject()) {
        original.set(k, REPLACE.equals(strategy) ? patchValue
            : mergeMap((ObjectNode) originalValue, (ObjectNode) patchValue, sub));
      } else if (originalValue.isArray()) {
        if (MERGE.equals(strategy) || deleteList) {
          original.set(k, mergeSlice((ArrayNode) originalValue, (ArrayNode) patchValue, sub,
              field == null ? null : field.mergeKey(), deleteList));
        } else {
          original.set(k, patchValue);
        }
      } else {
        original.set(k, patchValue);
      }
    }
    return original;
  }

  private static void applyRetainKeys(ObjectNode original, ObjectNode patch) {
    JsonNode retain = patch.remove(RETAIN_KEYS);
    if (retain == null) {
      return;
    }
    if (!retain.isArray()) {
      throw PatchFailure.badRequest("invalid patch format of retainKeys");
    }
    Set<String> keep = new HashSet<>();
    retain.forEach(k -> keep.add(k.asText()));
    for (String k : fieldNames(patch)) {
      if (patch.get(k).isNull() || k.startsWith(DELETE_FROM) || k.startsWith(ORDER)) {
        continue;
      }
      if (!keep.contains(k)) {
        throw PatchFailure.badRequest("invalid patch format of retainKeys");
      }
    }
    for (String k : fieldNames(original)) {
      if (!keep.contains(k)) {
        original.remove(k);
      }
    }
  }

  /** Handles {@code $setElementOrder/<field>} and the list it orders. */
  private static void mergePatchIntoOriginal(ObjectNode original, ObjectNode patch,
      PatchSchema.Type schema) {
    for (String key : fieldNames(patch)) {
      if (!key.startsWith(ORDER)) {
        continue;
      }
      JsonNode order = patch.remove(key);
      if (!order.isArray()) {
        throw PatchFailure.internal("expected []interface{}, but got " + order);
      }
      String k = key.substring(ORDER.length());
      JsonNode originalList = original.get(k);
      JsonNode patchList = patch.get(k);
      if (originalList != null && !originalList.isArray()
          || patchList != null && !patchList.isArray()) {
        throw PatchFailure.internal("expected []interface{} for " + k);
      }
      PatchSchema.Field field = schema == null ? null : schema.field(k);
      PatchSchema.Type sub = schema == null ? null : schema.fieldType(k);
      String strategy = strategyWithoutRetainKeys(field);
      String mergeKey = field == null ? null : field.mergeKey();
      validatePatchWithSetOrderList(patchList, (ArrayNode) order, mergeKey);
      List<JsonNode> merged;
      if (originalList != null && patchList == null) {
        merged = list(originalList);
      } else if (originalList == null && patchList != null) {
        merged = list(removeDirectives(patchList));
      } else if (originalList != null) {
        JsonNode m = MERGE.equals(strategy)
            ? mergeSlice((ArrayNode) originalList, (ArrayNode) patchList, sub, mergeKey, false)
            : patchList;
        merged = list(m);
      } else {
        continue;
      }
      JsonNodeType kind = elementType(list(originalList), list(patchList));
      List<JsonNode> orderList = list(order);
      List<List<JsonNode>> parts = partition(merged, orderList, mergeKey, kind);
      original.set(k, array(normalizeElementOrder(parts.get(0), parts.get(1), orderList,
          list(originalList), mergeKey, kind)));
      patch.remove(k);
    }
  }

  private static void validatePatchWithSetOrderList(JsonNode patchList, ArrayNode order,
      String mergeKey) {
    List<JsonNode> patchItems = list(patchList);
    if (order.isEmpty() || patchItems.isEmpty()) {
      return;
    }
    List<JsonNode> nonDelete = new ArrayList<>();
    for (JsonNode p : patchItems) {
      if (isEmpty(mergeKey) || !(p.isObject() && DELETE.equals(p.path(DIRECTIVE).asText(null)))) {
        nonDelete.add(p);
      }
    }
    int pi = 0;
    int oi = 0;
    while (pi < nonDelete.size() && oi < order.size()) {
      JsonNode p = nonDelete.get(pi);
      if (p.isObject() && p.has(DIRECTIVE)) {
        pi++;
        continue;
      }
      if (mergeKeyValueEqual(p, order.get(oi), mergeKey)) {
        pi++;
      }
      oi++;
    }
    if (pi < nonDelete.size() && oi >= order.size()) {
      throw PatchFailure.internal("The order in patch list:\n" + patchList + "\n doesn't match "
          + "$setElementOrder list:\n" + order);
    }
  }

  private static boolean mergeKeyValueEqual(JsonNode left, JsonNode right, String mergeKey) {
    if (isEmpty(mergeKey)) {
      return scalarEquals(left, right);
    }
    if (!left.isObject() || !right.isObject()) {
      throw PatchFailure.internal("expected a map for merge key " + mergeKey);
    }
    JsonNode l = left.get(mergeKey);
    JsonNode r = right.get(mergeKey);
    if (l == null) {
      throw noMergeKey(left, mergeKey);
    }
    if (r == null) {
      throw noMergeKey(right, mergeKey);
    }
    return scalarEquals(l, r);
  }

  private static JsonNode mergeSlice(ArrayNode originalNode, ArrayNode patchNode,
      PatchSchema.Type schema, String mergeKey, boolean deleteList) {
    if (originalNode.isEmpty() && patchNode.isEmpty()) {
      return originalNode;
    }
    List<JsonNode> original = list(originalNode);
    List<JsonNode> patch = list(patchNode);
    JsonNodeType kind = elementType(original, patch);
    List<JsonNode> merged;
    if (kind != JsonNodeType.OBJECT) {
      if (deleteList) {
        return array(deleteFromSlice(original, patch));
      }
      List<JsonNode> both = new ArrayList<>(original);
      both.addAll(patch);
      merged = deduplicateScalars(both);
    } else {
      if (isEmpty(mergeKey)) {
        throw PatchFailure.internal("cannot merge lists without merge key for "
            + (schema == null ? "" : schema.name()));
      }
      List<JsonNode> withoutSpecial = new ArrayList<>();
      boolean replace = false;
      for (JsonNode v : patch) {
        JsonNode directive = v.get(DIRECTIVE);
        if (directive == null) {
          withoutSpecial.add(v);
        } else if (DELETE.equals(directive.asText(null))) {
          JsonNode value = v.get(mergeKey);
          if (value == null) {
            throw noMergeKey(v, mergeKey);
          }
          original.removeIf(o -> o.isObject() && o.has(mergeKey)
              && scalarEquals(o.get(mergeKey), value));
        } else if (REPLACE.equals(directive.asText(null))) {
          replace = true;
        } else if (MERGE.equals(directive.asText(null))) {
          throw PatchFailure.internal("merging lists cannot yet be specified in the patch");
        } else {
          throw PatchFailure.internal("unknown patch type: " + directive + " in map: " + v);
        }
      }
      if (replace) {
        original = withoutSpecial;
        patch = List.of();
      } else {
        patch = withoutSpecial;
      }
      merged = new ArrayList<>(original);
      for (JsonNode v : patch) {
        JsonNode value = v.get(mergeKey);
        if (value == null) {
          throw noMergeKey(v, mergeKey);
        }
        int at = -1;
        for (int i = 0; i < merged.size(); i++) {
          JsonNode o = merged.get(i);
          if (!o.isObject()) {
            throw PatchFailure.internal("value for key " + i + " is not a map");
          }
          if (o.has(mergeKey) && scalarEquals(o.get(mergeKey), value)) {
            at = i;
            break;
          }
        }
        if (at >= 0) {
          merged.set(at, mergeMap((ObjectNode) merged.get(at), (ObjectNode) v, schema));
        } else {
          merged.add(v);
        }
      }
    }
    List<List<JsonNode>> parts = partition(merged, patch, mergeKey, kind);
    return array(normalizeElementOrder(parts.get(0), parts.get(1), patch, original, mergeKey,
        kind));
  }

  /** Splits items into those present in {@code by} and the others (server-only). */
  private static List<List<JsonNode>> partition(List<JsonNode> items, List<JsonNode> by,
      String mergeKey, JsonNodeType kind) {
    List<JsonNode> in = new ArrayList<>();
    List<JsonNode> out = new ArrayList<>();
    boolean maps = !isEmpty(mergeKey) && kind == JsonNodeType.OBJECT;
    for (JsonNode v : items) {
      boolean found = false;
      if (maps) {
        JsonNode value = v.get(mergeKey);
        if (value == null) {
          throw noMergeKey(v, mergeKey);
        }
        for (JsonNode b : by) {
          if (!b.isObject()) {
            throw PatchFailure.internal("value is not a map: " + b);
          }
          found |= b.has(mergeKey) && scalarEquals(b.get(mergeKey), value);
        }
      } else {
        for (JsonNode b : by) {
          found |= scalarEquals(b, v);
        }
      }
      (found ? in : out).add(v);
    }
    return List.of(in, out);
  }

  private static List<JsonNode> normalizeElementOrder(List<JsonNode> patch,
      List<JsonNode> serverOnly, List<JsonNode> patchOrder, List<JsonNode> serverOrder,
      String mergeKey, JsonNodeType kind) {
    List<JsonNode> p = normalizeSliceOrder(patch, patchOrder, mergeKey, kind);
    List<JsonNode> s = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
    return mergeSortedSlice(s, p, serverOrder, mergeKey, kind);
  }

  private static List<JsonNode> normalizeSliceOrder(List<JsonNode> toSort,
      List<JsonNode> order, String mergeKey, JsonNodeType kind) {
    List<JsonNode> sorted = new ArrayList<>();
    List<JsonNode> toDelete = new ArrayList<>();
    if (kind == JsonNodeType.OBJECT) {
      for (List<JsonNode> l : List.of(toSort, order)) {
        for (JsonNode v : l) {
          if (!v.isObject() || !v.has(mergeKey)) {
            throw noMergeKey(v, mergeKey);
          }
        }
      }
      for (JsonNode v : toSort) {
        (DELETE.equals(v.path(DIRECTIVE).asText(null)) ? toDelete : sorted).add(v);
      }
    } else {
      sorted.addAll(toSort);
    }
    // sort.SliceStable's insertion sort, with the same (partial) order
    for (int i = 1; i < sorted.size(); i++) {
      for (int j = i; j > 0 && orderLess(sorted.get(j), sorted.get(j - 1), order, mergeKey,
          kind); j--) {
        JsonNode t = sorted.get(j);
        sorted.set(j, sorted.get(j - 1));
        sorted.set(j - 1, t);
      }
    }
    sorted.addAll(toDelete);
    return sorted;
  }

  private static boolean orderLess(JsonNode a, JsonNode b, List<JsonNode> order, String mergeKey,
      JsonNodeType kind) {
    int ia = index(order, a, mergeKey, kind);
    if (ia >= 0) {
      int ib = index(order, b, mergeKey, kind);
      if (ib >= 0) {
        return ia < ib;
      }
    }
    return true;
  }

  private static List<JsonNode> mergeSortedSlice(List<JsonNode> left, List<JsonNode> right,
      List<JsonNode> serverOrder, String mergeKey, JsonNodeType kind) {
    int size = left.size() + right.size();
    List<JsonNode> s = new ArrayList<>(size);
    int i = 0;
    int j = 0;
    for (int k = 0; k < size; k++) {
      if (i >= left.size() && j < right.size()) {
        s.add(right.get(j++));
      } else if (j >= right.size() && i < left.size()) {
        s.add(left.get(i++));
      } else {
        int li = index(serverOrder, left.get(i), mergeKey, kind);
        int ri = index(serverOrder, right.get(j), mergeKey, kind);
        if (li >= 0 && ri >= 0 && li < ri) {
          s.add(left.get(i++));
        } else {
          s.add(right.get(j++));
        }
      }
    }
    return s;
  }

  private static int index(List<JsonNode> list, JsonNode value, String mergeKey,
      JsonNodeType kind) {
    JsonNode wanted = keyOf(value, mergeKey, kind);
    for (int i = 0; i < list.size(); i++) {
      JsonNode have = keyOf(list.get(i), mergeKey, kind);
      if (wanted == null ? have == null : have != null && scalarEquals(wanted, have)) {
        return i;
      }
    }
    return -1;
  }

  private static JsonNode keyOf(JsonNode item, String mergeKey, JsonNodeType kind) {
    if (kind == JsonNodeType.OBJECT) {
      return item.isObject() ? item.get(mergeKey) : null;
    }
    return item;
  }

  private static List<JsonNode> deleteFromSlice(List<JsonNode> current, List<JsonNode> remove) {
    List<JsonNode> kept = new ArrayList<>();
    for (JsonNode c : current) {
      boolean found = false;
      for (JsonNode r : remove) {
        found |= scalarEquals(c, r);
      }
      if (!found) {
        kept.add(c);
      }
    }
    return kept;
  }

  /** apimachinery's deduplicateScalars, which moves the last element into each duplicate's place. */
  private static List<JsonNode> deduplicateScalars(List<JsonNode> s) {
    List<JsonNode> l = new ArrayList<>(s);
    int length = l.size() - 1;
    for (int i = 0; i < length; i++) {
      for (int j = i + 1; j <= length; j++) {
        if (scalarEquals(l.get(i), l.get(j))) {
          l.set(j, l.get(length));
          l.remove(length);
          length--;
          j--;
        }
      }
    }
    return l;
  }

  private static JsonNodeType elementType(List<JsonNode> a, List<JsonNode> b) {
    JsonNodeType type = null;
    for (List<JsonNode> l : List.of(a, b)) {
      for (JsonNode v : l) {
        JsonNodeType t = v.getNodeType();
        if (type == null) {
          if (t == JsonNodeType.ARRAY) {
            throw PatchFailure.invalid("lists of lists are not supported");
          }
          type = t;
        } else if (type != t) {
          throw PatchFailure.internal("list element types are not identical: " + a + ", " + b);
        }
      }
    }
    if (type == null) {
      throw PatchFailure.internal("no elements in any of the given slices");
    }
    return type;
  }

  private static String strategyWithoutRetainKeys(PatchSchema.Field field) {
    if (field == null || field.strategy() == null) {
      return "";
    }
    String[] s = field.strategy().split(",");
    if (s.length == 1) {
      return s[0].equals(RETAIN_KEYS_STRATEGY) ? "" : s[0];
    }
    if (s.length == 2 && s[0].equals(RETAIN_KEYS_STRATEGY)) {
      return s[1];
    }
    if (s.length == 2 && s[1].equals(RETAIN_KEYS_STRATEGY)) {
      return s[0];
    }
    throw PatchFailure.internal("unexpected patch strategy: " + field.strategy());
  }

  /** Removes directive maps ({@code $patch}) from a value; null when the value itself is one. */
  private static JsonNode removeDirectives(JsonNode value) {
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

  private static void discardNulls(JsonNode value) {
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
      value.forEach(StrategicMergePatch::discardNulls);
    }
  }

  /** What decoding into the Go types leaves: no directive keys, no null fields. */
  private static ObjectNode dropDirectivesAndNulls(ObjectNode object) {
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

  private static boolean scalarEquals(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    return a.equals(b);
  }

  private static PatchFailure noMergeKey(JsonNode map, String mergeKey) {
    return PatchFailure.internal("map: " + map + " does not contain declared merge key: "
        + mergeKey);
  }

  private static List<String> fieldNames(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static List<JsonNode> list(JsonNode array) {
    List<JsonNode> l = new ArrayList<>();
    if (array != null) {
      array.forEach(l::add);
    }
    return l;
  }

  private static ArrayNode array(List<JsonNode> items) {
    ArrayNode a = F.arrayNode();
    items.forEach(a::add);
    return a;
  }

  private static boolean isEmpty(String s) {
    return s == null || s.isEmpty();
  }
}
