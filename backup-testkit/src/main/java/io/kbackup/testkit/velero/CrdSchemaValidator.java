package io.kbackup.testkit.velero;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Checks an object against the OpenAPI v3 schema of a {@code CustomResourceDefinition}, as the API
 * server would before storing it: required fields, types ({@code string}, {@code integer},
 * {@code number}, {@code boolean}, {@code array}, {@code object}), {@code nullable}, enums,
 * {@code format: date-time} (RFC 3339, loosely) and {@code format: byte} (base64), length, item
 * and range bounds, patterns, and unknown fields (anything not in {@code properties} where the
 * schema neither declares {@code additionalProperties} nor sets
 * {@code x-kubernetes-preserve-unknown-fields}; the API server would silently prune those, which
 * is almost always a bug in the code that built the object). Also checks that {@code apiVersion}
 * and {@code kind} are the CRD's. {@code metadata} is checked only for being an object.
 *
 * <p>Immutable and thread-safe. Built from a CRD YAML (file, stream, or the six Velero
 * {@code velero.io/v1} CRDs bundled in this jar):
 *
 * <pre>{@code
 * CrdSchemaValidator backups = CrdSchemaValidator.velero("Backup");
 * List<CrdSchemaValidator.Violation> problems = backups.validate(myBackupObject);
 * backups.assertValid(myBackupObject);   // AssertionError listing every violation
 * }</pre>
 */
public final class CrdSchemaValidator {

    /** Kinds of the Velero CRDs bundled in this jar, and their file names. */
    private static final Map<String, String> VELERO_FILES = Map.of(
            "Backup", "velero.io_backups.yaml",
            "BackupStorageLocation", "velero.io_backupstoragelocations.yaml",
            "DeleteBackupRequest", "velero.io_deletebackuprequests.yaml",
            "Restore", "velero.io_restores.yaml",
            "Schedule", "velero.io_schedules.yaml",
            "VolumeSnapshotLocation", "velero.io_volumesnapshotlocations.yaml");

    private static final String BUNDLE = "/io/kbackup/testkit/velero/crds/";
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private final CustomResourceDefinition crd;
    private final String group;
    private final String kind;

    private CrdSchemaValidator(CustomResourceDefinition crd) {
        this.crd = Objects.requireNonNull(crd, "crd");
        if (crd.getSpec() == null || crd.getSpec().getVersions() == null || crd.getSpec().getVersions().isEmpty()) {
            throw new IllegalArgumentException("CRD " + crd.getMetadata().getName() + " has no versions");
        }
        this.group = crd.getSpec().getGroup();
        this.kind = crd.getSpec().getNames().getKind();
    }

    /** A validator for the given CRD. */
    public static CrdSchemaValidator of(CustomResourceDefinition crd) {
        return new CrdSchemaValidator(crd);
    }

    /** A validator for the CRD in the YAML (or JSON) stream. The stream is not closed. */
    public static CrdSchemaValidator fromYaml(InputStream yaml) {
        return of(readCrd(yaml));
    }

    /** A validator for the CRD in the YAML (or JSON) file. */
    public static CrdSchemaValidator fromFile(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return fromYaml(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read CRD file " + file, e);
        }
    }

    /**
     * A validator for one of the Velero {@code velero.io/v1} kinds bundled in this jar:
     * {@code Backup}, {@code BackupStorageLocation}, {@code DeleteBackupRequest}, {@code Restore},
     * {@code Schedule}, {@code VolumeSnapshotLocation}.
     *
     * @throws IllegalArgumentException for another kind
     */
    public static CrdSchemaValidator velero(String kind) {
        return of(veleroCrd(kind));
    }

    /** The bundled Velero CRD of {@code kind} (see {@link #velero(String)}), e.g. to install it on a test cluster. */
    public static CustomResourceDefinition veleroCrd(String kind) {
        String file = VELERO_FILES.get(kind);
        if (file == null) {
            throw new IllegalArgumentException("no bundled Velero CRD for kind '" + kind + "'; bundled: " + VELERO_FILES.keySet());
        }
        try (InputStream in = CrdSchemaValidator.class.getResourceAsStream(BUNDLE + file)) {
            if (in == null) {
                throw new IllegalStateException("bundled CRD " + BUNDLE + file + " is missing from the class path");
            }
            return readCrd(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** All six bundled Velero CRDs, in a fixed order (Backup first). */
    public static List<CustomResourceDefinition> veleroCrds() {
        List<CustomResourceDefinition> all = new ArrayList<>();
        for (String kind : List.of("Backup", "BackupStorageLocation", "DeleteBackupRequest", "Restore", "Schedule",
                "VolumeSnapshotLocation")) {
            all.add(veleroCrd(kind));
        }
        return all;
    }

    /**
     * Looks for a {@code shared/velero/crds} folder in {@code start} or any of its parents (and in
     * a sibling {@code shared} folder of each), for projects that keep the Velero CRDs next to the
     * repository rather than in the jar.
     */
    public static Optional<Path> findSharedVeleroCrds(Path start) {
        Path dir = start.toAbsolutePath().normalize();
        while (dir != null) {
            Path candidate = dir.resolve("shared").resolve("velero").resolve("crds");
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
            Path parent = dir.getParent();
            if (parent != null) {
                Path sibling = parent.resolve("shared").resolve("velero").resolve("crds");
                if (Files.isDirectory(sibling)) {
                    return Optional.of(sibling);
                }
            }
            dir = parent;
        }
        return Optional.empty();
    }

    /** The CRD's group, e.g. {@code velero.io}. */
    public String group() {
        return group;
    }

    /** The CRD's kind, e.g. {@code Backup}. */
    public String kind() {
        return kind;
    }

    /** The CRD this validator checks against. */
    public CustomResourceDefinition crd() {
        return crd;
    }

    /**
     * Every violation in {@code object}: a {@link JsonNode}, a JSON string, a {@code Map}, or any
     * object Jackson serializes (fabric8 resources such as {@code GenericKubernetesResource}).
     *
     * @return the violations in document order; empty when the object is valid
     */
    public List<Violation> validate(Object object) {
        JsonNode node = toNode(object);
        List<Violation> out = new ArrayList<>();
        if (node == null || !node.isObject()) {
            out.add(new Violation("$", "expected an object, was " + describe(node)));
            return out;
        }
        String apiVersion = node.path("apiVersion").asText(null);
        CustomResourceDefinitionVersion version = versionFor(apiVersion);
        if (version == null) {
            out.add(new Violation("$.apiVersion", "'" + apiVersion + "' is not a served version of " + group + "/" + kind
                    + "; expected one of " + servedApiVersions()));
            version = storageVersion();
        }
        String actualKind = node.path("kind").asText(null);
        if (!kind.equals(actualKind)) {
            out.add(new Violation("$.kind", "expected '" + kind + "', was '" + actualKind + "'"));
        }
        JSONSchemaProps schema = version.getSchema() == null ? null : version.getSchema().getOpenAPIV3Schema();
        if (schema != null) {
            check(schema, node, "$", out, true);
        }
        return List.copyOf(out);
    }

    /** Whether {@code object} has no violations. */
    public boolean isValid(Object object) {
        return validate(object).isEmpty();
    }

    /**
     * Throws an {@link AssertionError} listing every violation, if there is one.
     *
     * @throws AssertionError when {@code object} is not valid
     */
    public void assertValid(Object object) {
        List<Violation> violations = validate(object);
        if (!violations.isEmpty()) {
            StringBuilder sb = new StringBuilder(kind).append(" violates its CRD schema:");
            violations.forEach(v -> sb.append("\n  ").append(v));
            throw new AssertionError(sb.toString());
        }
    }

    private void check(JSONSchemaProps schema, JsonNode node, String path, List<Violation> out, boolean root) {
        if (node == null || node.isMissingNode()) {
            return;
        }
        if (node.isNull()) {
            if (!Boolean.TRUE.equals(schema.getNullable())) {
                out.add(new Violation(path, "null is not allowed here (the schema is not nullable)"));
            }
            return;
        }
        if (Boolean.TRUE.equals(schema.getXKubernetesIntOrString())) {
            if (!(node.isTextual() || node.isIntegralNumber())) {
                out.add(new Violation(path, "expected an integer or a string, was " + describe(node)));
            }
            return;
        }
        String type = schema.getType();
        if (type != null && !typeMatches(type, node)) {
            out.add(new Violation(path, "expected " + type + ", was " + describe(node)));
            return;
        }
        checkEnum(schema, node, path, out);
        checkFormatAndBounds(schema, node, path, out);
        if (node.isObject()) {
            checkObject(schema, node, path, out, root);
        } else if (node.isArray() && schema.getItems() != null && schema.getItems().getSchema() != null) {
            JSONSchemaProps items = schema.getItems().getSchema();
            for (int i = 0; i < node.size(); i++) {
                check(items, node.get(i), path + "[" + i + "]", out, false);
            }
        }
    }

    private void checkObject(JSONSchemaProps schema, JsonNode node, String path, List<Violation> out, boolean root) {
        Map<String, JSONSchemaProps> properties = schema.getProperties();
        boolean hasProperties = properties != null && !properties.isEmpty();
        if (schema.getRequired() != null) {
            for (String required : schema.getRequired()) {
                if (!node.has(required)) {
                    out.add(new Violation(path + "." + required, "required field is missing"));
                }
            }
        }
        JSONSchemaProps additional = schema.getAdditionalProperties() == null ? null : schema.getAdditionalProperties().getSchema();
        boolean additionalAllowed = schema.getAdditionalProperties() != null
                && (additional != null || Boolean.TRUE.equals(schema.getAdditionalProperties().getAllows()));
        boolean preserveUnknown = Boolean.TRUE.equals(schema.getXKubernetesPreserveUnknownFields())
                || Boolean.TRUE.equals(schema.getXKubernetesEmbeddedResource());
        Iterator<Map.Entry<String, JsonNode>> fields = node.properties().iterator();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            String childPath = path + "." + name;
            if (root && name.equals("metadata")) {
                if (!field.getValue().isObject()) {
                    out.add(new Violation(childPath, "expected object, was " + describe(field.getValue())));
                }
                continue;
            }
            JSONSchemaProps child = hasProperties ? properties.get(name) : null;
            if (child != null) {
                check(child, field.getValue(), childPath, out, false);
            } else if (additional != null) {
                check(additional, field.getValue(), childPath, out, false);
            } else if (!additionalAllowed && !preserveUnknown) {
                out.add(new Violation(childPath, "unknown field (not in the schema; the API server would drop it)"
                        + (hasProperties ? "; known: " + properties.keySet() : "")));
            }
        }
        if (schema.getMinProperties() != null && node.size() < schema.getMinProperties()) {
            out.add(new Violation(path, "needs at least " + schema.getMinProperties() + " properties, has " + node.size()));
        }
        if (schema.getMaxProperties() != null && node.size() > schema.getMaxProperties()) {
            out.add(new Violation(path, "allows at most " + schema.getMaxProperties() + " properties, has " + node.size()));
        }
    }

    private static void checkEnum(JSONSchemaProps schema, JsonNode node, String path, List<Violation> out) {
        List<JsonNode> allowed = schema.getEnum();
        if (allowed == null || allowed.isEmpty()) {
            return;
        }
        for (JsonNode value : allowed) {
            if (value.equals(node) || (value.isTextual() && node.isTextual() && value.asText().equals(node.asText()))) {
                return;
            }
        }
        List<String> names = new ArrayList<>();
        allowed.forEach(v -> names.add(v.isTextual() ? v.asText() : v.toString()));
        out.add(new Violation(path, "value " + node + " is not one of " + names));
    }

    private static void checkFormatAndBounds(JSONSchemaProps schema, JsonNode node, String path, List<Violation> out) {
        if (node.isTextual()) {
            String text = node.asText();
            String format = schema.getFormat();
            if ("date-time".equals(format) && !isDateTime(text)) {
                out.add(new Violation(path, "'" + text + "' is not an RFC 3339 date-time such as 2026-11-21T02:00:00Z"));
            } else if ("byte".equals(format) && !isBase64(text)) {
                out.add(new Violation(path, "is not base64 (format byte)"));
            }
            if (schema.getMinLength() != null && text.length() < schema.getMinLength()) {
                out.add(new Violation(path, "shorter than minLength " + schema.getMinLength()));
            }
            if (schema.getMaxLength() != null && text.length() > schema.getMaxLength()) {
                out.add(new Violation(path, "longer than maxLength " + schema.getMaxLength()));
            }
            if (schema.getPattern() != null) {
                try {
                    if (!Pattern.compile(schema.getPattern()).matcher(text).find()) {
                        out.add(new Violation(path, "'" + text + "' does not match pattern " + schema.getPattern()));
                    }
                } catch (PatternSyntaxException ignored) {
                    // an ECMA pattern Java cannot compile: not checked
                }
            }
        } else if (node.isNumber()) {
            double value = node.asDouble();
            if (schema.getMinimum() != null && value < schema.getMinimum()) {
                out.add(new Violation(path, value + " is below the minimum " + schema.getMinimum()));
            }
            if (schema.getMaximum() != null && value > schema.getMaximum()) {
                out.add(new Violation(path, value + " is above the maximum " + schema.getMaximum()));
            }
        } else if (node.isArray()) {
            if (schema.getMinItems() != null && node.size() < schema.getMinItems()) {
                out.add(new Violation(path, "needs at least " + schema.getMinItems() + " items, has " + node.size()));
            }
            if (schema.getMaxItems() != null && node.size() > schema.getMaxItems()) {
                out.add(new Violation(path, "allows at most " + schema.getMaxItems() + " items, has " + node.size()));
            }
        }
    }

    private static boolean typeMatches(String type, JsonNode node) {
        return switch (type) {
            case "string" -> node.isTextual();
            case "integer" -> node.isIntegralNumber() || (node.isNumber() && node.asDouble() == Math.rint(node.asDouble()));
            case "number" -> node.isNumber();
            case "boolean" -> node.isBoolean();
            case "array" -> node.isArray();
            case "object" -> node.isObject();
            default -> true;
        };
    }

    private static boolean isDateTime(String text) {
        try {
            OffsetDateTime.parse(text);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static boolean isBase64(String text) {
        try {
            Base64.getDecoder().decode(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "missing";
        }
        JsonNodeType t = node.getNodeType();
        return switch (t) {
            case STRING -> "string";
            case NUMBER -> node.isIntegralNumber() ? "integer" : "number";
            case BOOLEAN -> "boolean";
            case ARRAY -> "array";
            case OBJECT -> "object";
            case NULL -> "null";
            default -> t.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private CustomResourceDefinitionVersion versionFor(String apiVersion) {
        if (apiVersion == null) {
            return null;
        }
        for (CustomResourceDefinitionVersion v : crd.getSpec().getVersions()) {
            if (apiVersion.equals(group + "/" + v.getName()) && !Boolean.FALSE.equals(v.getServed())) {
                return v;
            }
        }
        return null;
    }

    private CustomResourceDefinitionVersion storageVersion() {
        for (CustomResourceDefinitionVersion v : crd.getSpec().getVersions()) {
            if (Boolean.TRUE.equals(v.getStorage())) {
                return v;
            }
        }
        return crd.getSpec().getVersions().get(0);
    }

    private List<String> servedApiVersions() {
        List<String> names = new ArrayList<>();
        for (CustomResourceDefinitionVersion v : crd.getSpec().getVersions()) {
            if (!Boolean.FALSE.equals(v.getServed())) {
                names.add(group + "/" + v.getName());
            }
        }
        return names;
    }

    private static JsonNode toNode(Object object) {
        if (object == null) {
            return null;
        }
        if (object instanceof JsonNode n) {
            return n;
        }
        if (object instanceof String s) {
            return SERIALIZATION.unmarshal(s, JsonNode.class);
        }
        return SERIALIZATION.convertValue(object, JsonNode.class);
    }

    private static CustomResourceDefinition readCrd(InputStream yaml) {
        Object parsed = SERIALIZATION.unmarshal(yaml, CustomResourceDefinition.class);
        if (!(parsed instanceof CustomResourceDefinition crd)) {
            throw new IllegalArgumentException("not an apiextensions.k8s.io/v1 CustomResourceDefinition");
        }
        return crd;
    }

    /**
     * One problem found: where (a JSON path such as {@code $.spec.includedNamespaces[0]}) and what.
     *
     * @param path    JSON path of the offending value
     * @param message what is wrong with it
     */
    public record Violation(String path, String message) {
        @Override
        public String toString() {
            return path + ": " + message;
        }
    }
}
