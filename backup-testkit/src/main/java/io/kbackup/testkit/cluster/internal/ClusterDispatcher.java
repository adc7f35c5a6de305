package io.kbackup.testkit.cluster.internal;

import static io.kbackup.testkit.cluster.internal.StatusResponses.expiredWatch;
import static io.kbackup.testkit.cluster.internal.StatusResponses.notFound;
import static io.kbackup.testkit.cluster.internal.StatusResponses.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
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
  private static final String JSON = "application/json";

  private final ClusterStore store;
  private final PatchRequests patches;
  private final ApiDiscovery discovery;
  private final ListPager pager;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private volatile Runnable afterRequest = () -> { };

  /** Routes requests to the given store, discovery and pager. */
  public ClusterDispatcher(ClusterStore store, ApiDiscovery discovery, ListPager pager) {
    this.store = store;
    this.patches = new PatchRequests(store);
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
    String method = request.getMethod().toUpperCase(Locale.ROOT);
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
        return notFound();
      }
    }
    lock.readLock().lock();
    try {
      if (rp.plural() == null) {
        return store.dispatch(request);
      }
      ResourceType type = discovery.find(rp.group(), rp.version(), rp.plural());
      if (type == null) {
        // neither built in nor defined by a CRD, or a version the CRD does not serve: a Status
        // within a served group/version, the mux's plain 404 for an unknown one
        String groupVersion = rp.group().isEmpty() ? "/api/" + rp.version()
            : "/apis/" + rp.group() + "/" + rp.version();
        return discovery.respond(groupVersion) != null ? notFound()
            : new MockResponse().setResponseCode(404).setBody("404 page not found\n")
                .setHeader("Content-Type", "text/plain; charset=utf-8");
      }
      String storageVersion = discovery.storageVersion(rp.group(), rp.plural());
      if (storageVersion == null || storageVersion.equals(rp.version())) {
        return serve(method, request, rp, type);
      }
      // a custom resource at another served version: stored once, at the storage version;
      // conversion None changes apiVersion only
      String requested = rp.groupVersion();
      String stored = rp.group() + "/" + storageVersion;
      if (hasBody(method)) {
        MockResponse refused = checkApiVersion(request, requested);
        if (refused != null) {
          return refused;
        }
      }
      RecordedRequest atStorage = atVersion(request, rp, storageVersion, stored);
      MockResponse response = serve(method, atStorage, RequestPath.parse(atStorage.getPath()),
          type);
      return withApiVersion(response, stored, requested);
    } finally {
      lock.readLock().unlock();
    }
  }

  private MockResponse serve(String method, RecordedRequest request, RequestPath rp,
      ResourceType type) {
    if (method.equals("GET") && !rp.isWatch()) {
      if (rp.isCollection()) {
        return list(rp);
      }
      if (rp.isObject()) {
        return get(request, rp);
      }
    }
    if (method.equals("GET") && rp.isWatch() && startsInThePast(rp)) {
      // a real server replays the changes since the requested version; the CRUD store's watch
      // starts now and would silently miss them (an informer keeps a stale object for good):
      // answer as a server that no longer has that version does, with an ERROR event carrying
      // 410 Expired on the opened watch, so the client lists again
      return expiredWatch("too old resource version: " + rp.query().get("resourceVersion")
          + " (" + store.currentResourceVersion() + ")");
    }
    if (method.equals("POST") && rp.isCollection()) {
      return store.create(rp.path(), rp.namespace(), request.getUtf8Body(),
          rp.query().containsKey("dryRun"));
    }
    if (method.equals("PUT") && rp.isObjectOrStatus()) {
      MockResponse refused = checkApiVersion(request, rp.groupVersion());
      if (refused != null) {
        return refused;
      }
    }
    if (method.equals("PATCH") && rp.isObjectOrStatus()) {
      return patches.patch(request, rp, type);
    }
    if (method.equals("DELETE") && rp.isObject() && store.get(rp.path()) == null) {
      return status(404, "NotFound", PatchRequests.resourceName(rp) + " \"" + rp.name() + "\" not found", rp);
    }
    return store.dispatch(request);
  }
  /** Whether a watch asks to start at a resourceVersion after which its objects changed. */
  private boolean startsInThePast(RequestPath rp) {
    String since = rp.query().get("resourceVersion");
    if (since == null || since.isEmpty() || since.equals("0")) {
      return false;
    }
    try {
      return store.writtenSince(rp.plural(), rp.namespace(), Long.parseLong(since));
    } catch (NumberFormatException e) {
      return false;
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

  private static boolean hasBody(String method) {
    return method.equals("POST") || method.equals("PUT");
  }

  /**
   * 400 when the body names an apiVersion other than the path's, as the API server answers;
   * null when the body is fine or not an object (left to the handler to refuse).
   */
  private static MockResponse checkApiVersion(RecordedRequest request, String expected) {
    JsonNode body;
    try {
      body = MAPPER.readTree(request.getBody().getBytes());
    } catch (IOException | RuntimeException e) {
      return null;
    }
    if (body == null || !body.isObject() || !body.hasNonNull("apiVersion")) {
      return null;
    }
    String actual = body.get("apiVersion").asText();
    if (actual.equals(expected)) {
      return null;
    }
    return status(400, "BadRequest", "the API version in the data (" + actual
        + ") does not match the expected API version (" + expected + ")", null);
  }

  /** The request at the storage version: path rewritten, body apiVersion set to it. */
  private static RecordedRequest atVersion(RecordedRequest request, RequestPath rp,
      String version, String storedGroupVersion) {
    String prefix = "/apis/" + rp.group() + "/" + rp.version();
    String path = "/apis/" + rp.group() + "/" + version
        + request.getPath().substring(prefix.length());
    byte[] body = request.getBody() == null ? new byte[0] : request.getBody().getBytes();
    if (body.length > 0 && hasBody(request.getMethod().toUpperCase(Locale.ROOT))) {
      try {
        JsonNode node = MAPPER.readTree(body);
        if (node instanceof ObjectNode o && o.has("apiVersion")) {
          o.put("apiVersion", storedGroupVersion);
          body = o.toString().getBytes(StandardCharsets.UTF_8);
        }
      } catch (IOException e) {
        // not JSON: the handler refuses it
      }
    }
    return new RecordedRequest(request.getHttpVersion(), request.method(), path,
        request.getHeaders(), new Buffer(body));
  }

  /** Rewrites apiVersion in a response body (an object, a list and its items). */
  private static MockResponse withApiVersion(MockResponse response, String from, String to) {
    if (response == null || response.getWebSocketListener() != null) {
      return response;
    }
    String body = response.getBody() == null ? null
        : new String(response.getBody().getBytes(), StandardCharsets.UTF_8);
    if (body == null || body.isEmpty()) {
      return response;
    }
    try {
      JsonNode node = MAPPER.readTree(body);
      if (node instanceof ObjectNode o) {
        replaceApiVersion(o, from, to);
        if (o.get("items") instanceof ArrayNode items) {
          items.forEach(i -> {
            if (i instanceof ObjectNode item) {
              replaceApiVersion(item, from, to);
            }
          });
        }
        response.setBody(o.toString());
      } else {
        response.setBody(body);
      }
    } catch (IOException e) {
      response.setBody(body);
    }
    return response;
  }

  private static void replaceApiVersion(ObjectNode o, String from, String to) {
    if (from.equals(o.path("apiVersion").asText(null))) {
      o.put("apiVersion", to);
    }
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

}
