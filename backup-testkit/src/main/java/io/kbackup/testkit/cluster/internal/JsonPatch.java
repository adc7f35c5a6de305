package io.kbackup.testkit.cluster.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * JSON patch, RFC 6902 ({@code add}, {@code remove}, {@code replace}, {@code move},
 * {@code copy}, {@code test}) with JSON pointers per RFC 6901, applied all-or-nothing. As the API
 * server answers: a patch that is not a list of operations is 400 BadRequest, an operation that
 * cannot be applied (a missing path, a failed test) is 422, more than 10,000 operations is 413.
 */
public final class JsonPatch {

  private static final int MAX_OPERATIONS = 10_000;

  private JsonPatch() {}

  /**
   * Applies a JSON patch.
   *
   * @param target the current document (not modified)
   * @param patch the list of operations
   * @return the patched copy
   * @throws PatchFailure if the server would refuse the patch
   */
  public static JsonNode apply(JsonNode target, JsonNode patch) {
    if (patch == null || !patch.isArray()) {
      throw PatchFailure.badRequest("json: cannot unmarshal object into Go value of type"
          + " jsonpatch.Patch");
    }
    if (patch.size() > MAX_OPERATIONS) {
      throw new PatchFailure(413, "RequestEntityTooLarge", "The allowed maximum operations in a"
          + " JSON patch is " + MAX_OPERATIONS + ", got " + patch.size());
    }
    for (JsonNode op : patch) {
      if (!op.isObject() || !op.path("op").isTextual() || !op.path("path").isTextual()) {
        throw PatchFailure.badRequest("each JSON patch operation needs a string \"op\" and"
            + " \"path\": " + op);
      }
    }
    JsonNode doc = target.deepCopy();
    for (JsonNode op : patch) {
      doc = applyOne(doc, op);
    }
    return doc;
  }

  private static JsonNode applyOne(JsonNode doc, JsonNode op) {
    String kind = op.get("op").asText();
    String path = op.get("path").asText();
    switch (kind) {
      case "add":
        return add(doc, path, value(op, kind));
      case "remove":
        return remove(doc, path, kind);
      case "replace": {
        get(doc, path, kind); // must exist
        JsonNode removed = remove(doc, path, kind);
        return add(removed, path, value(op, kind));
      }
      case "move": {
        String from = from(op, kind);
        if (path.startsWith(from + "/")) {
          throw PatchFailure.invalid("move operation: \"from\" " + from
              + " is a proper prefix of \"path\" " + path);
        }
        JsonNode v = get(doc, from, kind);
        return add(remove(doc, from, kind), path, v.deepCopy());
      }
      case "copy":
        return add(doc, path, get(doc, from(op, kind), kind).deepCopy());
      case "test": {
        JsonNode actual = get(doc, path, kind);
        if (!equal(actual, value(op, kind))) {
          throw PatchFailure.invalid("testing value " + path + " failed: test failed");
        }
        return doc;
      }
      default:
        throw PatchFailure.invalid("Unexpected kind: " + kind);
    }
  }

  private static JsonNode value(JsonNode op, String kind) {
    if (!op.has("value")) {
      throw PatchFailure.invalid(kind + " operation: missing value");
    }
    return op.get("value").deepCopy();
  }

  private static String from(JsonNode op, String kind) {
    if (!op.path("from").isTextual()) {
      throw PatchFailure.invalid(kind + " operation: missing from");
    }
    return op.get("from").asText();
  }

  private static JsonNode add(JsonNode doc, String path, JsonNode value) {
    if (path.isEmpty()) {
      return value;
    }
    JsonNode parent = parent(doc, path, "add");
    String token = lastToken(path);
    if (parent.isObject()) {
      ((ObjectNode) parent).set(token, value);
    } else if (parent.isArray()) {
      ArrayNode a = (ArrayNode) parent;
      if (token.equals("-")) {
        a.add(value);
      } else {
        int i = arrayIndex(token, a.size(), path, "add");
        a.insert(i, value);
      }
    } else {
      throw PatchFailure.invalid("add operation does not apply: doc is missing path: \"" + path
          + "\"");
    }
    return doc;
  }

  private static JsonNode remove(JsonNode doc, String path, String kind) {
    if (path.isEmpty()) {
      throw PatchFailure.invalid(kind + " operation: cannot remove the whole document");
    }
    JsonNode parent = parent(doc, path, kind);
    String token = lastToken(path);
    if (parent.isObject() && parent.has(token)) {
      ((ObjectNode) parent).remove(token);
    } else if (parent.isArray()) {
      ArrayNode a = (ArrayNode) parent;
      int i = arrayIndex(token, a.size() - 1, path, kind);
      a.remove(i);
    } else {
      throw PatchFailure.invalid(kind + " operation does not apply: doc is missing key: "
          + path);
    }
    return doc;
  }

  private static JsonNode get(JsonNode doc, String path, String kind) {
    if (path.isEmpty()) {
      return doc;
    }
    JsonNode parent = parent(doc, path, kind);
    String token = lastToken(path);
    JsonNode v = null;
    if (parent.isObject()) {
      v = parent.get(token);
    } else if (parent.isArray()) {
      v = parent.get(arrayIndex(token, parent.size() - 1, path, kind));
    }
    if (v == null) {
      throw PatchFailure.invalid(kind + " operation does not apply: doc is missing path: "
          + path);
    }
    return v;
  }

  /** The container the path's last token is in; it must exist. */
  private static JsonNode parent(JsonNode doc, String path, String kind) {
    if (!path.startsWith("/")) {
      throw PatchFailure.invalid(kind + " operation: path must start with '/': " + path);
    }
    String[] tokens = path.substring(1).split("/", -1);
    JsonNode node = doc;
    for (int t = 0; t < tokens.length - 1; t++) {
      String token = unescape(tokens[t]);
      JsonNode next = null;
      if (node.isObject()) {
        next = node.get(token);
      } else if (node.isArray()) {
        next = node.get(arrayIndex(token, node.size() - 1, path, kind));
      }
      if (next == null || !(next.isObject() || next.isArray())) {
        throw PatchFailure.invalid(kind + " operation does not apply: doc is missing path: \""
            + path + "\"");
      }
      node = next;
    }
    return node;
  }

  private static String lastToken(String path) {
    return unescape(path.substring(path.lastIndexOf('/') + 1));
  }

  private static int arrayIndex(String token, int max, String path, String kind) {
    if (!token.matches("0|[1-9][0-9]{0,8}")) {
      throw PatchFailure.invalid(kind + " operation: invalid array index " + token + " in "
          + path);
    }
    int i = Integer.parseInt(token);
    if (i > max) {
      throw PatchFailure.invalid(kind + " operation: index out of range: " + path);
    }
    return i;
  }

  private static String unescape(String token) {
    return token.replace("~1", "/").replace("~0", "~");
  }

  private static boolean equal(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    return a.equals(b);
  }
}
