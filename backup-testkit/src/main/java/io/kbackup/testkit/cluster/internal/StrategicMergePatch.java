package io.kbackup.testkit.cluster.internal;

import static io.kbackup.testkit.cluster.internal.PatchLists.deduplicateScalars;
import static io.kbackup.testkit.cluster.internal.PatchLists.deleteFromSlice;
import static io.kbackup.testkit.cluster.internal.PatchLists.elementType;
import static io.kbackup.testkit.cluster.internal.PatchLists.normalizeElementOrder;
import static io.kbackup.testkit.cluster.internal.PatchLists.partition;
import static io.kbackup.testkit.cluster.internal.PatchNodes.DELETE;
import static io.kbackup.testkit.cluster.internal.PatchNodes.DIRECTIVE;
import static io.kbackup.testkit.cluster.internal.PatchNodes.F;
import static io.kbackup.testkit.cluster.internal.PatchNodes.array;
import static io.kbackup.testkit.cluster.internal.PatchNodes.discardNulls;
import static io.kbackup.testkit.cluster.internal.PatchNodes.dropDirectivesAndNulls;
import static io.kbackup.testkit.cluster.internal.PatchNodes.fieldNames;
import static io.kbackup.testkit.cluster.internal.PatchNodes.isEmpty;
import static io.kbackup.testkit.cluster.internal.PatchNodes.list;
import static io.kbackup.testkit.cluster.internal.PatchNodes.noMergeKey;
import static io.kbackup.testkit.cluster.internal.PatchNodes.removeDirectives;
import static io.kbackup.testkit.cluster.internal.PatchNodes.scalarEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
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

  private static final String REPLACE = "replace";
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

}
