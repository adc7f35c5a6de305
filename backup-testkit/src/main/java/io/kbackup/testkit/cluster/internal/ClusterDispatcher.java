package io.kbackup.testkit.cluster.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The embedded cluster's request router: discovery and list paging are answered here, single
 * object GETs from the store's index, everything else (create, update, patch, delete, watch,
 * subresources) by fabric8's CRUD dispatcher.
 *
 * <p>Requests share a read lock; {@link #exclusively} takes the write lock so bulk seeding sees
 * no concurrent request.
 */
public final class ClusterDispatcher extends Dispatcher {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String JSON = "application/json";

  private final ClusterStore store;
  private final ApiDiscovery discovery;
  private final ListPager pager;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private volatile Runnable afterRequest = () -> { };

  /** Routes requests to the given store, discovery and pager. */
  public ClusterDispatcher(ClusterStore store, ApiDiscovery discovery, ListPager pager) {
    this.store = store;
    this.discovery = discovery;
    this.pager = pager;
  }

  /** Runs after every request (used to drain the mock server's request journal). */
  public void afterRequest(Runnable hook) {
    this.afterRequest = hook;
  }

  /** Runs the action while no request is being served. */
  public void exclusively(Runnable action) {
    lock.writeLock().lock();
    try {
      action.run();
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    try {
      return withJsonContentType(route(request));
    } finally {
      afterRequest.run();
    }
  }

  private MockResponse route(RecordedRequest request) {
    String method = request.getMethod().toUpperCase(java.util.Locale.ROOT);
    RequestPath rp = RequestPath.parse(request.getPath());
    if (method.equals("GET") && rp.plural() == null) {
      String body = discovery.respond(rp.path());
      if (body != null) {
        return new MockResponse().setResponseCode(200).setBody(body);
      }
      if (rp.path().startsWith("/api") || rp.path().startsWith("/openapi")
          || rp.path().equals("/healthz") || rp.path().equals("/readyz")
          || rp.path().equals("/livez")) {
        if (rp.path().matches("/(healthz|readyz|livez)")) {
          return new MockResponse().setResponseCode(200).setBody("ok")
              .setHeader("Content-Type", "text/plain");
        }
        return status(404, "NotFound", "the server could not find the requested resource", null);
      }
    }
    lock.readLock().lock();
    try {
      if (method.equals("GET") && !rp.isWatch()) {
        if (rp.isCollection()) {
          return list(rp);
        }
        if (rp.isObject()) {
          return get(request, rp);
        }
      }
      if (method.equals("POST") && rp.isCollection()) {
        return store.create(rp.path(), rp.namespace(), request.getUtf8Body(),
            rp.query().containsKey("dryRun"));
      }
      if (method.equals("PATCH") && rp.isObjectOrStatus()) {
        String contentType = String.valueOf(request.getHeader("Content-Type"));
        boolean apply = contentType.contains("apply-patch");
        if (apply || contentType.contains("strategic-merge-patch")) {
          return strategicPatch(request, rp, apply);
        }
      }
      return store.dispatch(request);
    } finally {
      lock.readLock().unlock();
    }
  }

  private MockResponse get(RecordedRequest request, RequestPath rp) {
    String body = store.get(request.getPath());
    if (body == null) {
      return status(404, "NotFound",
          rp.plural() + (rp.group().isEmpty() ? "" : "." + rp.group()) + " \"" + rp.name()
              + "\" not found", rp);
    }
    return new MockResponse().setResponseCode(200).setBody(body);
  }

  private MockResponse list(RequestPath rp) {
    ResourceType type = discovery.find(rp.group(), rp.version(), rp.plural());
    // lenient like the CRUD store: a type without CRD still lists, as a plain "List"
    String listKind = type == null ? "List" : type.listKind();
    Long limit = parseLimit(rp.query().get("limit"));
    String requestKey = rp.path() + "?" + rp.query().getOrDefault("labelSelector", "") + "&"
        + rp.query().getOrDefault("fieldSelector", "");
    String token = rp.query().get("continue");
    try {
      if (token != null && !token.isEmpty()) {
        return new MockResponse().setResponseCode(200)
            .setBody(pager.nextPage(requestKey, token, limit));
      }
    } catch (ListPager.PagingException e) {
      return status(e.code(), e.reason(), e.getMessage(), null);
    }
    List<String> items = store.listSnapshot(rp.withoutParameters("limit", "continue"));
    String body = pager.firstPage(requestKey, items, store.currentResourceVersion(),
        rp.groupVersion(), listKind, limit);
    return new MockResponse().setResponseCode(200).setBody(body);
  }

  /**
   * Strategic merge patch and server-side apply, which fabric8's CRUD store answers with 415:
   * merged here ({@link StrategicMergePatch}) and stored as an update; apply creates a missing
   * object.
   */
  private MockResponse strategicPatch(RecordedRequest request, RequestPath rp, boolean apply) {
    JsonNode patch;
    try {
      patch = (apply ? YAML : MAPPER).readTree(request.getBody().getBytes());
    } catch (IOException e) {
      return status(400, "BadRequest", "the patch body is not valid "
          + (apply ? "YAML" : "JSON") + ": " + e.getMessage(), rp);
    }
    if (patch == null || !patch.isObject()) {
      return status(400, "BadRequest", "the patch body must be an object", rp);
    }
    String objectPath = rp.subresource() == null ? rp.path()
        : rp.path().substring(0, rp.path().length() - rp.subresource().length() - 1);
    String current = store.get(objectPath);
    if (current == null) {
      if (!apply || rp.subresource() != null) {
        return status(404, "NotFound", rp.plural() + " \"" + rp.name() + "\" not found", rp);
      }
      ObjectNode created = ((ObjectNode) patch).deepCopy();
      ObjectNode meta = metadata(created);
      meta.put("name", rp.name());
      if (rp.namespace() != null) {
        meta.put("namespace", rp.namespace());
      }
      String collection = objectPath.substring(0, objectPath.length() - rp.name().length() - 1);
      return store.dispatch(rewritten(HttpMethod.POST, collection, created));
    }
    JsonNode merged;
    try {
      JsonNode currentNode = MAPPER.readTree(current);
      merged = StrategicMergePatch.apply(currentNode, patch);
      metadata((ObjectNode) merged).set("resourceVersion",
          currentNode.path("metadata").path("resourceVersion"));
    } catch (IOException | IllegalArgumentException e) {
      return status(422, "Invalid", "cannot apply the patch: " + e.getMessage(), rp);
    }
    return store.dispatch(rewritten(HttpMethod.PUT, rp.path(), merged));
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

  private static Long parseLimit(String value) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static MockResponse withJsonContentType(MockResponse response) {
    if (response != null && response.getWebSocketListener() == null
        && response.header("Content-Type") == null) {
      response.setHeader("Content-Type", JSON);
    }
    return response;
  }

  static MockResponse status(int code, String reason, String message, RequestPath rp) {
    ObjectNode s = MAPPER.createObjectNode();
    s.put("kind", "Status");
    s.put("apiVersion", "v1");
    s.putObject("metadata");
    s.put("status", "Failure");
    s.put("message", message);
    s.put("reason", reason);
    if (rp != null && rp.name() != null) {
      ObjectNode d = s.putObject("details");
      d.put("name", rp.name());
      if (!rp.group().isEmpty()) {
        d.put("group", rp.group());
      }
      d.put("kind", rp.plural());
    }
    s.put("code", code);
    return new MockResponse().setResponseCode(code).setBody(s.toString());
  }
}
