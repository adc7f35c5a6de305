package io.kbackup.testkit.cluster.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.util.function.Consumer;

/**
 * The embedded cluster's failure answers: {@code Status} objects ({@code kind: Status},
 * {@code status: Failure}) as the API server writes them, with their details, and the 410
 * Expired event of a watch that starts in the past.
 */
final class StatusResponses {

  private static final String JSON = "application/json";

  private StatusResponses() {}

  /** A failure Status for a request path (details name the object when the path does). */
  static MockResponse status(int code, String reason, String message, RequestPath rp) {
    return new MockResponse().setResponseCode(code).setBody(statusJson(code, reason, message, rp));
  }

  /** A failure Status response naming a kind and object, with a JSON content type. */
  static MockResponse failure(int code, String reason, String message, String kind,
      String name) {
    ObjectNode s = failureStatus(code, reason, message, st -> {
      if (kind != null || name != null) {
        ObjectNode d = st.putObject("details");
        if (name != null) {
          d.put("name", name);
        }
        if (kind != null) {
          d.put("kind", kind);
        }
      }
    });
    return new MockResponse().setResponseCode(code).setBody(s.toString())
        .setHeader("Content-Type", JSON);
  }

  /** 422 Invalid for a name that fails validation, with its cause. */
  static MockResponse invalidName(String kind, String group, String name, String problem) {
    String detail = "Invalid value: \"" + name + "\": " + problem;
    ObjectNode s = failureStatus(422, "Invalid",
        kind + " \"" + name + "\" is invalid: metadata.name: " + detail, st -> {
          ObjectNode d = st.putObject("details");
          d.put("name", name);
          if (group != null && !group.isEmpty()) {
            d.put("group", group);
          }
          d.put("kind", kind);
          ObjectNode cause = d.putArray("causes").addObject();
          cause.put("reason", "FieldValueInvalid");
          cause.put("message", detail);
          cause.put("field", "metadata.name");
        });
    return new MockResponse().setResponseCode(422).setBody(s.toString())
        .setHeader("Content-Type", JSON);
  }

  /** 404 for a path the server does not serve at all. */
  static MockResponse notFound() {
    ObjectNode s = failureStatus(404, "NotFound",
        "the server could not find the requested resource", st -> st.putObject("details"));
    return new MockResponse().setResponseCode(404).setBody(s.toString());
  }

  /** A watch that sends one 410 Expired error event and closes. */
  static MockResponse expiredWatch(String message) {
    String event = "{\"type\":\"ERROR\",\"object\":" + statusJson(410, "Expired", message, null) + "}";
    return new MockResponse().withWebSocketUpgrade(new WebSocketListener() {
      @Override
      public void onOpen(WebSocket webSocket, Response response) {
        webSocket.send(event);
        webSocket.close(1000, "");
      }
    });
  }

  private static String statusJson(int code, String reason, String message, RequestPath rp) {
    return failureStatus(code, reason, message, s -> {
      if (rp != null && rp.name() != null) {
        ObjectNode d = s.putObject("details");
        d.put("name", rp.name());
        if (!rp.group().isEmpty()) {
          d.put("group", rp.group());
        }
        d.put("kind", rp.plural());
      }
    }).toString();
  }

  /** The Status object, its fields in the API server's order; {@code details} fills in details. */
  private static ObjectNode failureStatus(int code, String reason, String message,
      Consumer<ObjectNode> details) {
    ObjectNode s = JsonNodeFactory.instance.objectNode();
    s.put("kind", "Status");
    s.put("apiVersion", "v1");
    s.putObject("metadata");
    s.put("status", "Failure");
    s.put("message", message);
    s.put("reason", reason);
    details.accept(s);
    s.put("code", code);
    return s;
  }
}
