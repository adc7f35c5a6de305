package io.kbackup.testkit.cluster.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON merge patch, RFC 7386: objects merge recursively, {@code null} removes a member, every
 * other value (lists included) replaces the target's wholesale. The API server refuses a patch
 * that is not an object with 400 BadRequest.
 */
public final class JsonMergePatch {

  private JsonMergePatch() {}

  /**
   * Applies a merge patch.
   *
   * @param target the current object (not modified)
   * @param patch the patch (not modified)
   * @return the patched copy
   * @throws PatchFailure if the patch is not a JSON object
   */
  public static JsonNode apply(JsonNode target, JsonNode patch) {
    if (patch == null || !patch.isObject()) {
      throw PatchFailure.badRequest("Invalid JSON Patch");
    }
    return merge(target, patch);
  }

  private static JsonNode merge(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy()
        : JsonNodeFactory.instance.objectNode();
    List<String> names = new ArrayList<>();
    patch.fieldNames().forEachRemaining(names::add);
    for (String name : names) {
      JsonNode value = patch.get(name);
      if (value.isNull()) {
        result.remove(name);
      } else {
        result.set(name, merge(result.get(name), value));
      }
    }
    return result;
  }
}
