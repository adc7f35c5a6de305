package io.kbackup.testkit.cluster.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The strategic-merge-patch metadata of the built-in Kubernetes kinds: for each field, its
 * {@code x-kubernetes-patch-strategy} and {@code x-kubernetes-patch-merge-key} and the type of its
 * value, as Kubernetes' own OpenAPI spec gives them (the same metadata the API server takes from
 * the Go struct tags {@code patchStrategy} / {@code patchMergeKey}).
 *
 * <p>Read from {@code patch-strategies.json} beside this class, which
 * {@code backup-testkit/tools/generate-patch-strategies.py} extracts from
 * {@code api/openapi-spec/swagger.json} of {@code k8s.io/kubernetes}; the file names the version.
 * Kinds that are not in it (custom resources, the snapshot kinds that are CRDs in a real cluster)
 * have no schema: the API server refuses a strategic merge patch for them.
 */
public final class PatchSchema {

  private static final PatchSchema BUILT_IN = load();

  private final Map<String, String> kinds;
  private final Map<String, Map<String, Field>> types;
  private final String source;

  private PatchSchema(Map<String, String> kinds, Map<String, Map<String, Field>> types,
      String source) {
    this.kinds = kinds;
    this.types = types;
    this.source = source;
  }

  /** The schema of the Kubernetes API shipped with the test kit. */
  public static PatchSchema builtIn() {
    return BUILT_IN;
  }

  /** Where the metadata was extracted from, e.g. "k8s.io/kubernetes v1.35.4 ...". */
  public String source() {
    return source;
  }

  /**
   * The schema of a kind's objects, or null when the Kubernetes API has no such built-in kind.
   *
   * @param apiVersion "v1" or "group/version"
   * @param kind e.g. "Deployment"
   */
  public Type forKind(String apiVersion, String kind) {
    String definition = kinds.get(apiVersion + "/" + kind);
    return definition == null ? null : new Type(definition, false, this);
  }

  /**
   * A field's patch metadata.
   *
   * @param ref the definition of its value (of the items of a list, of the values of a map), or
   *     null for scalars and free-form values
   * @param shape "value", "list" or "map"
   * @param strategy the patch strategy ("merge", "replace", "retainKeys", "merge,retainKeys") or
   *     null
   * @param mergeKey the merge key of a list of objects with strategy merge, or null
   */
  public record Field(String ref, String shape, String strategy, String mergeKey) {}

  /**
   * The schema of one value: a definition (a struct in the Go types), or a map whose values are
   * of one definition (then every key leads to that definition).
   */
  public static final class Type {
    private final String definition;
    private final boolean mapOf;
    private final PatchSchema schema;

    private Type(String definition, boolean mapOf, PatchSchema schema) {
      this.definition = definition;
      this.mapOf = mapOf;
      this.schema = schema;
    }

    /** The definition name, e.g. {@code io.k8s.api.core.v1.PodSpec}. */
    public String name() {
      return mapOf ? "map[string]" + definition : definition;
    }

    /** The field's metadata, or null when the field has none (a scalar, or unknown). */
    public Field field(String name) {
      if (mapOf) {
        return new Field(definition, "value", null, null);
      }
      Map<String, Field> fields = schema.types.get(definition);
      return fields == null ? null : fields.get(name);
    }

    /** The schema of the field's value (of list items, of a map's values), or null. */
    public Type fieldType(String name) {
      Field f = field(name);
      if (f == null || f.ref() == null) {
        return null;
      }
      return new Type(f.ref(), "map".equals(f.shape()), schema);
    }

    @Override
    public String toString() {
      return name();
    }
  }

  private static PatchSchema load() {
    try (InputStream in = PatchSchema.class.getResourceAsStream("patch-strategies.json")) {
      if (in == null) {
        throw new IllegalStateException("patch-strategies.json is missing beside "
            + PatchSchema.class.getName() + ": the test kit jar is incomplete");
      }
      JsonNode root = new ObjectMapper().readTree(in);
      Map<String, String> kinds = new HashMap<>();
      root.path("kinds").fields().forEachRemaining(e -> kinds.put(e.getKey(), e.getValue().asText()));
      Map<String, Map<String, Field>> types = new HashMap<>();
      Iterator<Map.Entry<String, JsonNode>> it = root.path("types").fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> t = it.next();
        Map<String, Field> fields = new HashMap<>();
        t.getValue().fields().forEachRemaining(f -> {
          JsonNode v = f.getValue();
          fields.put(f.getKey(), new Field(text(v, "ref"), v.path("shape").asText("value"),
              text(v, "strategy"), text(v, "mergeKey")));
        });
        types.put(t.getKey(), fields);
      }
      return new PatchSchema(Map.copyOf(kinds), types, root.path("source").asText());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read patch-strategies.json", e);
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
