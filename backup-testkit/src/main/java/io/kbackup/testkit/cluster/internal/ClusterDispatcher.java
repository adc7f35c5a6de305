package io.kbackup.testkit.cluster.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
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
    List<String> items = store.listSnapshot(rp.withoutParameters("limit", "continue"),
        rp.group().isEmpty());
    String body = pager.firstPage(requestKey, items, store.currentResourceVersion(),
        rp.groupVersion(), listKind, limit);
    return new MockResponse().setResponseCode(200).setBody(body);
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
