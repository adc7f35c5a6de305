package io.kbackup.testkit.cluster.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kbackup.testkit.cluster.internal.ResourceType.Subresource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Answers the discovery endpoints ({@code /version}, {@code /api}, {@code /api/v1}, {@code /apis},
 * {@code /apis/<group>}, {@code /apis/<group>/<version>}) from the built-in resource table plus
 * the CRDs stored at the moment of the request.
 */
public final class ApiDiscovery {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final List<ResourceType> fixedTypes;
  private final Supplier<List<String>> storedCrds;
  private final Supplier<String> serverAddress;
  private volatile Snapshot cache;

  /**
   * @param fixedTypes built-in and extra resource types
   * @param storedCrds supplies the JSON of every stored CRD at request time
   * @param serverAddress supplies host:port reported in {@code serverAddressByClientCIDRs}
   */
  public ApiDiscovery(List<ResourceType> fixedTypes, Supplier<List<String>> storedCrds,
      Supplier<String> serverAddress) {
    this.fixedTypes = List.copyOf(fixedTypes);
    this.storedCrds = storedCrds;
    this.serverAddress = serverAddress;
  }

  /** Every resource type served right now: fixed ones, then the CRDs' (a CRD wins a clash). */
  public List<ResourceType> currentTypes() {
    return new ArrayList<>(snapshot().byKey.values());
  }

  /** The type served at group/version/plural, or null. */
  public ResourceType find(String group, String version, String plural) {
    return snapshot().byKey.get(key(group, version, plural));
  }

  /**
   * The storage version of the custom resources a stored CRD defines with this group and
   * plural, or null when no CRD defines them (a built-in or unknown type).
   */
  public String storageVersion(String group, String plural) {
    return snapshot().storageVersions.get(group + "/" + plural);
  }

  /** The type of the given apiVersion and kind, or null. */
  public ResourceType findByKind(String apiVersion, String kind) {
    for (ResourceType t : currentTypes()) {
      if (t.groupVersion().equals(apiVersion) && t.kind().equals(kind)) {
        return t;
      }
    }
    return null;
  }

  /**
   * The discovery document for a path without query string, or null if the path is not a
   * discovery endpoint (or names a group/version that is not served).
   */
  public String respond(String path) {
    String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
    if (p.equals("/version")) {
      return version();
    }
    if (p.equals("/api")) {
      return apiVersions();
    }
    if (p.equals("/api/v1")) {
      return resourceList("", "v1");
    }
    if (p.equals("/apis")) {
      return groupList();
    }
    if (p.startsWith("/apis/")) {
      String[] parts = p.substring("/apis/".length()).split("/");
      if (parts.length == 1) {
        return group(parts[0]);
      }
      if (parts.length == 2) {
        return resourceList(parts[0], parts[1]);
      }
    }
    return null;
  }

  private String version() {
    ObjectNode v = MAPPER.createObjectNode();
    v.put("major", "1");
    v.put("minor", "32");
    v.put("gitVersion", "v1.32.0");
    v.put("gitCommit", "70d3cc986aa8221cd1dfb1121852688902d3bf53");
    v.put("gitTreeState", "clean");
    v.put("buildDate", "2024-12-11T17:59:15Z");
    v.put("goVersion", "go1.23.3");
    v.put("compiler", "gc");
    v.put("platform", "linux/amd64");
    return write(v);
  }

  private String apiVersions() {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("kind", "APIVersions");
    n.putArray("versions").add("v1");
    ObjectNode cidr = n.putArray("serverAddressByClientCIDRs").addObject();
    cidr.put("clientCIDR", "0.0.0.0/0");
    cidr.put("serverAddress", serverAddress.get());
    return write(n);
  }

  private String groupList() {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("kind", "APIGroupList");
    n.put("apiVersion", "v1");
    ArrayNode groups = n.putArray("groups");
    for (Map.Entry<String, List<String>> g : groupVersions().entrySet()) {
      groups.add(groupNode(g.getKey(), g.getValue()));
    }
    return write(n);
  }

  private String group(String name) {
    List<String> versions = groupVersions().get(name);
    if (versions == null) {
      return null;
    }
    ObjectNode n = groupNode(name, versions);
    n.put("kind", "APIGroup");
    n.put("apiVersion", "v1");
    return write(n);
  }

  private static ObjectNode groupNode(String name, List<String> versions) {
    ObjectNode g = MAPPER.createObjectNode();
    g.put("name", name);
    ArrayNode vs = g.putArray("versions");
    for (String v : versions) {
      ObjectNode vn = vs.addObject();
      vn.put("groupVersion", name + "/" + v);
      vn.put("version", v);
    }
    ObjectNode preferred = g.putObject("preferredVersion");
    preferred.put("groupVersion", name + "/" + versions.get(0));
    preferred.put("version", versions.get(0));
    return g;
  }

  /** Named groups (not core) with their versions, preferred version first. */
  private Map<String, List<String>> groupVersions() {
    Map<String, Set<String>> result = new LinkedHashMap<>();
    for (ResourceType t : fixedTypes) {
      if (!t.group().isEmpty()) {
        result.computeIfAbsent(t.group(), k -> new LinkedHashSet<>()).add(t.version());
      }
    }
    for (CrdGroupVersions crd : crdTypes()) {
      Set<String> versions = result.get(crd.group);
      if (versions == null) {
        versions = new LinkedHashSet<>();
        versions.add(crd.preferredVersion);
        result.put(crd.group, versions);
      }
      for (ResourceType t : crd.types) {
        versions.add(t.version());
      }
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    result.forEach((g, v) -> out.put(g, new ArrayList<>(v)));
    return out;
  }

  private String resourceList(String group, String version) {
    List<ResourceType> types = new ArrayList<>();
    for (ResourceType t : currentTypes()) {
      if (t.group().equals(group) && t.version().equals(version)) {
        types.add(t);
      }
    }
    if (types.isEmpty()) {
      return null;
    }
    ObjectNode n = MAPPER.createObjectNode();
    n.put("kind", "APIResourceList");
    n.put("apiVersion", "v1");
    n.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
    ArrayNode resources = n.putArray("resources");
    for (ResourceType t : types) {
      ObjectNode r = resources.addObject();
      r.put("name", t.plural());
      r.put("singularName", t.singular());
      r.put("namespaced", t.namespaced());
      r.put("kind", t.kind());
      ArrayNode verbs = r.putArray("verbs");
      ResourceType.STANDARD_VERBS.forEach(verbs::add);
      if (!t.shortNames().isEmpty()) {
        ArrayNode sn = r.putArray("shortNames");
        t.shortNames().forEach(sn::add);
      }
      if (!t.categories().isEmpty()) {
        ArrayNode c = r.putArray("categories");
        t.categories().forEach(c::add);
      }
      for (Subresource s : t.subresources()) {
        ObjectNode sr = resources.addObject();
        sr.put("name", t.plural() + "/" + s.name());
        sr.put("singularName", "");
        sr.put("namespaced", t.namespaced());
        if (s.group() != null) {
          sr.put("group", s.group());
          sr.put("version", s.version());
        }
        sr.put("kind", s.kind());
        ArrayNode sv = sr.putArray("verbs");
        s.verbs().forEach(sv::add);
      }
    }
    return write(n);
  }

  /**
   * The served types, rebuilt only when the stored CRDs changed (the store hands out the same
   * strings until a CRD is written).
   */
  private Snapshot snapshot() {
    List<String> crds = storedCrds.get();
    Snapshot s = cache;
    if (s != null && sameElements(s.crdJsons, crds)) {
      return s;
    }
    List<CrdGroupVersions> parsed = parseCrds(crds);
    Map<String, ResourceType> byKey = new LinkedHashMap<>();
    for (ResourceType t : fixedTypes) {
      byKey.put(key(t.group(), t.version(), t.plural()), t);
    }
    Map<String, String> storage = new HashMap<>();
    for (CrdGroupVersions crd : parsed) {
      for (ResourceType t : crd.types) {
        byKey.put(key(t.group(), t.version(), t.plural()), t);
      }
      storage.put(crd.group + "/" + crd.plural, crd.preferredVersion);
    }
    s = new Snapshot(crds, parsed, byKey, storage);
    cache = s;
    return s;
  }

  private static boolean sameElements(List<String> a, List<String> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (a.get(i) != b.get(i)) { // identity: a rewritten CRD is a new string
        return false;
      }
    }
    return true;
  }

  private List<CrdGroupVersions> crdTypes() {
    return snapshot().crds;
  }

  private static List<CrdGroupVersions> parseCrds(List<String> jsons) {
    List<CrdGroupVersions> result = new ArrayList<>();
    for (String json : jsons) {
      try {
        CrdGroupVersions parsed = parseCrd(MAPPER.readTree(json));
        if (parsed != null) {
          result.add(parsed);
        }
      } catch (IOException e) {
        // a stored CRD that is not JSON is not served, as a broken CRD would not be
      }
    }
    result.sort(Comparator.comparing(c -> c.name));
    return result;
  }

  private static CrdGroupVersions parseCrd(JsonNode crd) {
    JsonNode spec = crd.path("spec");
    JsonNode names = spec.path("names");
    String group = spec.path("group").asText("");
    String plural = names.path("plural").asText("");
    String kind = names.path("kind").asText("");
    if (group.isEmpty() || plural.isEmpty() || kind.isEmpty()) {
      return null;
    }
    String singular = names.path("singular").asText(kind.toLowerCase(java.util.Locale.ROOT));
    boolean namespaced = !"Cluster".equals(spec.path("scope").asText("Namespaced"));
    List<String> shortNames = strings(names.path("shortNames"));
    List<String> categories = strings(names.path("categories"));
    List<ResourceType> types = new ArrayList<>();
    String storage = null;
    String firstServed = null;
    JsonNode versions = spec.path("versions");
    if (versions.isArray() && versions.size() > 0) {
      for (JsonNode v : versions) {
        String name = v.path("name").asText("");
        if (name.isEmpty() || !v.path("served").asBoolean(true)) {
          continue;
        }
        if (firstServed == null) {
          firstServed = name;
        }
        if (v.path("storage").asBoolean(false)) {
          storage = name;
        }
        List<Subresource> subs = new ArrayList<>();
        JsonNode sr = v.has("subresources") ? v.path("subresources") : spec.path("subresources");
        if (sr.has("status")) {
          subs.add(new Subresource("status", kind, null, null, List.of("get", "patch", "update")));
        }
        if (sr.has("scale")) {
          subs.add(new Subresource("scale", "Scale", "autoscaling", "v1",
              List.of("get", "patch", "update")));
        }
        types.add(new ResourceType(group, name, plural, singular, kind, namespaced, shortNames,
            categories, subs));
      }
    } else if (spec.hasNonNull("version")) { // v1beta1 style single version
      firstServed = spec.path("version").asText();
      types.add(new ResourceType(group, firstServed, plural, singular, kind, namespaced,
          shortNames, categories, List.of()));
    }
    if (types.isEmpty()) {
      return null;
    }
    String preferred = storage != null ? storage : firstServed;
    return new CrdGroupVersions(crd.path("metadata").path("name").asText(plural + "." + group),
        group, plural, preferred, types);
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    if (array.isArray()) {
      array.forEach(n -> out.add(n.asText()));
    }
    return out;
  }

  private static String key(String group, String version, String plural) {
    return group + "/" + version + "/" + plural;
  }

  private static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private record CrdGroupVersions(String name, String group, String plural,
      String preferredVersion, List<ResourceType> types) {}

  private record Snapshot(List<String> crdJsons, List<CrdGroupVersions> crds,
      Map<String, ResourceType> byKey, Map<String, String> storageVersions) {}
}
