package io.kbackup.testkit.cluster.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A resource request path split into its parts: group, version, namespace, plural, name,
 * subresource and query parameters.
 *
 * @param path the path without query string
 * @param group API group, "" for core
 * @param version API version
 * @param namespace namespace or null
 * @param plural resource plural or null (discovery and other paths)
 * @param name object name or null for collections
 * @param subresource subresource or null
 * @param query decoded query parameters (first value of each)
 * @param rawQuery the query string as sent, or null
 */
public record RequestPath(String path, String group, String version, String namespace,
    String plural, String name, String subresource, Map<String, String> query, String rawQuery) {

  /** Parses a request path with optional query string; never null. */
  public static RequestPath parse(String pathAndQuery) {
    int q = pathAndQuery.indexOf('?');
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    String rawQuery = q < 0 ? null : pathAndQuery.substring(q + 1);
    Map<String, String> query = new LinkedHashMap<>();
    if (rawQuery != null && !rawQuery.isEmpty()) {
      for (String pair : rawQuery.split("&")) {
        int eq = pair.indexOf('=');
        String k = decode(eq < 0 ? pair : pair.substring(0, eq));
        String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
        query.putIfAbsent(k, v);
      }
    }
    List<String> segments = new ArrayList<>();
    for (String s : path.split("/")) {
      if (!s.isEmpty()) {
        segments.add(s);
      }
    }
    String group;
    String version;
    int rest;
    if (segments.size() >= 2 && segments.get(0).equals("api")) {
      group = "";
      version = segments.get(1);
      rest = 2;
    } else if (segments.size() >= 3 && segments.get(0).equals("apis")) {
      group = segments.get(1);
      version = segments.get(2);
      rest = 3;
    } else {
      return new RequestPath(path, null, null, null, null, null, null, query, rawQuery);
    }
    List<String> r = segments.subList(rest, segments.size());
    String namespace = null;
    String plural = null;
    String name = null;
    String sub = null;
    boolean namespaceSubresource = group.isEmpty() && r.size() == 3 && r.get(0).equals("namespaces")
        && (r.get(2).equals("status") || r.get(2).equals("finalize"));
    if (r.size() >= 3 && r.get(0).equals("namespaces") && !namespaceSubresource) {
      namespace = r.get(1);
      plural = r.get(2);
      name = r.size() > 3 ? r.get(3) : null;
      sub = r.size() > 4 ? String.join("/", r.subList(4, r.size())) : null;
    } else if (!r.isEmpty()) {
      plural = r.get(0);
      name = r.size() > 1 ? r.get(1) : null;
      sub = r.size() > 2 ? String.join("/", r.subList(2, r.size())) : null;
    }
    return new RequestPath(path, group, version, namespace, plural, name, sub, query, rawQuery);
  }

  /** Whether this names a resource collection (a list or watch request). */
  public boolean isCollection() {
    return plural != null && name == null;
  }

  /** Whether this names one object (not a subresource). */
  public boolean isObject() {
    return plural != null && name != null && subresource == null;
  }

  /** Whether this names one object or its status subresource. */
  public boolean isObjectOrStatus() {
    return plural != null && name != null && (subresource == null || subresource.equals("status"));
  }

  /** Whether the query asks for a watch. */
  public boolean isWatch() {
    String w = query.get("watch");
    return w != null && (w.equals("true") || w.equals("1"));
  }

  /** "v1" or "group/version". */
  public String groupVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** The path and query with the named parameters removed. */
  public String withoutParameters(String... names) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return path;
    }
    StringBuilder sb = new StringBuilder();
    outer:
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String k = decode(eq < 0 ? pair : pair.substring(0, eq));
      for (String n : names) {
        if (n.equals(k)) {
          continue outer;
        }
      }
      sb.append(sb.length() == 0 ? "" : "&").append(pair);
    }
    return sb.length() == 0 ? path : path + "?" + sb;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
