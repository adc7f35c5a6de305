package io.kbackup.testkit.cluster.internal;

import static io.kbackup.testkit.cluster.internal.PatchNodes.DELETE;
import static io.kbackup.testkit.cluster.internal.PatchNodes.DIRECTIVE;
import static io.kbackup.testkit.cluster.internal.PatchNodes.isEmpty;
import static io.kbackup.testkit.cluster.internal.PatchNodes.noMergeKey;
import static io.kbackup.testkit.cluster.internal.PatchNodes.scalarEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import java.util.ArrayList;
import java.util.List;

/**
 * The list side of {@link StrategicMergePatch}: apimachinery's element ordering
 * ({@code normalizeElementOrder}, {@code mergeSortedSlice}), partitions by merge key, scalar
 * set operations and the element-type check.
 */
final class PatchLists {

  private PatchLists() {}

  /** Splits items into those present in {@code by} and the others (server-only). */
  static List<List<JsonNode>> partition(List<JsonNode> items, List<JsonNode> by,
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

  static List<JsonNode> normalizeElementOrder(List<JsonNode> patch,
      List<JsonNode> serverOnly, List<JsonNode> patchOrder, List<JsonNode> serverOrder,
      String mergeKey, JsonNodeType kind) {
    List<JsonNode> p = normalizeSliceOrder(patch, patchOrder, mergeKey, kind);
    List<JsonNode> s = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
    return mergeSortedSlice(s, p, serverOrder, mergeKey, kind);
  }

  static List<JsonNode> normalizeSliceOrder(List<JsonNode> toSort,
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

  static boolean orderLess(JsonNode a, JsonNode b, List<JsonNode> order, String mergeKey,
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

  static List<JsonNode> mergeSortedSlice(List<JsonNode> left, List<JsonNode> right,
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

  static int index(List<JsonNode> list, JsonNode value, String mergeKey,
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

  static JsonNode keyOf(JsonNode item, String mergeKey, JsonNodeType kind) {
    if (kind == JsonNodeType.OBJECT) {
      return item.isObject() ? item.get(mergeKey) : null;
    }
    return item;
  }

  static List<JsonNode> deleteFromSlice(List<JsonNode> current, List<JsonNode> remove) {
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
  static List<JsonNode> deduplicateScalars(List<JsonNode> s) {
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

  static JsonNodeType elementType(List<JsonNode> a, List<JsonNode> b) {
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

}
