package io.kbackup.testkit.cluster.internal;

import static io.kbackup.testkit.cluster.internal.StatusResponses.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * PATCH requests of the embedded cluster: the patch type from the content type, the merge, the
 * preconditions ({@code uid}, {@code resourceVersion}) and the object's identity kept, then the
 * result stored as an update; server-side apply creates a missing object.
 */
final class PatchRequests {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String JSON = "application/json";
  private static final String JSON_PATCH = "application/json-patch+json";
  private static final String MERGE_PATCH = "application/merge-patch+json";
  private static final String STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json";
  private static final String APPLY_PATCH = "application/apply-patch+yaml";

  private final ClusterStore store;

  PatchRequests(ClusterStore store) {
    this.store = store;
  }

  /**
   * Every patch type, merged here and stored as an update: JSON patch ({@link JsonPatch}), JSON
   * merge patch ({@link JsonMergePatch}), strategic merge patch ({@link StrategicMergePatch},
   * built-in kinds only, else 415 as from the API server) and server-side apply (merged like a
   * strategic merge patch for built-in kinds and like a merge patch for others; it creates a
   * missing object).
   */
  MockResponse patch(RecordedRequest request, RequestPath rp, ResourceType type) {
    String contentType = String.valueOf(request.getHeader("Content-Type"));
    int semicolon = contentType.indexOf(';');
    contentType = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim()
        .toLowerCase(Locale.ROOT);
    PatchSchema.Type schema = PatchSchema.builtIn().forKind(type.groupVersion(), type.kind());
    List<String> accepted = schema != null
        ? List.of(JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH, APPLY_PATCH)
        : List.of(JSON_PATCH, MERGE_PATCH, APPLY_PATCH);
    if (!accepted.contains(contentType)) {
      return status(415, "UnsupportedMediaType", "the body of the request was in an unknown"
          + " format - accepted media types include: " + String.join(", ", accepted), null);
    }
    boolean apply = contentType.equals(APPLY_PATCH);
    JsonNode patch;
    try {
      patch = (apply ? YAML : MAPPER).readTree(request.getBody().getBytes());
    } catch (IOException e) {
      return status(400, "BadRequest", "error decoding patch: " + e.getMessage(), rp);
    }
    if (patch == null) {
      return status(400, "BadRequest", "the patch body is empty", rp);
    }
    String objectPath = rp.subresource() == null ? rp.path()
        : rp.path().substring(0, rp.path().length() - rp.subresource().length() - 1);
    String current = store.get(objectPath);
    if (current == null) {
      if (!apply || rp.subresource() != null) {
        return status(404, "NotFound", resourceName(rp) + " \"" + rp.name() + "\" not found",
            rp);
      }
      if (!patch.isObject()) {
        return status(400, "BadRequest", "the apply patch must be an object", rp);
      }
      ObjectNode created = ((ObjectNode) patch).deepCopy();
      ObjectNode meta = metadata(created);
      meta.put("name", rp.name());
      if (rp.namespace() != null) {
        meta.put("namespace", rp.namespace());
      }
      created.put("apiVersion", rp.groupVersion());
      String collection = objectPath.substring(0, objectPath.length() - rp.name().length() - 1);
      return store.create(collection, rp.namespace(), created.toString(), false);
    }
    JsonNode currentNode;
    JsonNode merged;
    try {
      currentNode = MAPPER.readTree(current);
      switch (contentType) {
        case JSON_PATCH -> merged = JsonPatch.apply(currentNode, patch);
        case MERGE_PATCH -> merged = JsonMergePatch.apply(currentNode, patch);
        case STRATEGIC_MERGE_PATCH -> merged = StrategicMergePatch.apply(currentNode, patch,
            schema);
        default -> merged = schema != null ? StrategicMergePatch.apply(currentNode, patch, schema)
            : JsonMergePatch.apply(currentNode, patch);
      }
    } catch (IOException e) {
      return status(500, "InternalError", "cannot read the stored object: " + e.getMessage(), rp);
    } catch (PatchFailure e) {
      return status(e.code(), e.reason(), e.getMessage(), e.code() == 400 ? null : rp);
    }
    if (!merged.isObject()) {
      return status(422, "Invalid", "the patched object is not a JSON object", rp);
    }
    ObjectNode result = (ObjectNode) merged;
    JsonNode currentMeta = currentNode.path("metadata");
    ObjectNode meta = metadata(result);
    String name = meta.path("name").asText("");
    if (!name.equals(rp.name())) {
      return status(400, "BadRequest", "the name of the object (" + name
          + ") does not match the name on the URL (" + rp.name() + ")", rp);
    }
    String uid = meta.path("uid").asText("");
    if (!uid.isEmpty() && !uid.equals(currentMeta.path("uid").asText(""))) {
      return status(409, "Conflict", "Operation cannot be fulfilled on " + resourceName(rp)
          + " \"" + rp.name() + "\": Precondition failed: UID in precondition: " + uid
          + ", UID in object meta: " + currentMeta.path("uid").asText(""), rp);
    }
    String resourceVersion = meta.path("resourceVersion").asText("");
    String currentVersion = currentMeta.path("resourceVersion").asText("");
    if (!resourceVersion.isEmpty() && !resourceVersion.equals(currentVersion)) {
      return status(409, "Conflict", "Operation cannot be fulfilled on " + resourceName(rp)
          + " \"" + rp.name() + "\": the object has been modified; please apply your changes"
          + " to the latest version and try again", rp);
    }
    // identity stays as stored: a patch changes neither the type nor the object it names
    result.set("apiVersion", currentNode.get("apiVersion"));
    result.set("kind", currentNode.get("kind"));
    for (String f : List.of("uid", "resourceVersion", "creationTimestamp", "namespace")) {
      if (currentMeta.has(f)) {
        meta.set(f, currentMeta.get(f));
      } else {
        meta.remove(f);
      }
    }
    return store.dispatch(rewritten(HttpMethod.PUT, rp.path(), result));
  }

  static String resourceName(RequestPath rp) {
    return rp.plural() + (rp.group().isEmpty() ? "" : "." + rp.group());
  }

  private static ObjectNode metadata(ObjectNode object) {
    JsonNode meta = object.get("metadata");
    return meta instanceof ObjectNode m ? m : object.putObject("metadata");
  }

  private static RecordedRequest rewritten(HttpMethod method, String path, JsonNode body) {
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    return new RecordedRequest("HTTP/1.1", method, path,
        Headers.builder().add("Content-Type", JSON).build(), new Buffer(bytes));
  }
}
