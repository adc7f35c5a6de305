package io.kbackup.testkit.velero;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

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
            out.add(new Violation("$", "expected an object, was " + SchemaChecks.describe(node)));
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
            SchemaChecks.check(schema, node, "$", out, true);
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
