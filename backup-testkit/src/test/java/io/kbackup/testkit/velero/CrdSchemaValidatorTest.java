package io.kbackup.testkit.velero;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kbackup.testkit.velero.CrdSchemaValidator.Violation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CrdSchemaValidatorTest {

    private static final String GOOD_BACKUP = """
            {"apiVersion":"velero.io/v1","kind":"Backup",
             "metadata":{"name":"nightly-20261121020000","namespace":"velero","labels":{"kbackup.io/plan":"nightly"}},
             "spec":{"includedNamespaces":["shop"],"excludedNamespaces":null,"includeClusterResources":null,
                     "snapshotVolumes":true,"ttl":"168h0m0s","storageLocation":"default",
                     "labelSelector":{"matchLabels":{"app":"web"}}},
             "status":{"phase":"Completed","startTimestamp":"2026-11-21T02:00:00Z","expiration":"2026-11-28T02:00:00Z",
                       "progress":{"totalItems":10,"itemsBackedUp":10},"version":1,"formatVersion":"1.1.0"}}
            """;

    private static final CrdSchemaValidator LOCATIONS = CrdSchemaValidator.velero("BackupStorageLocation");
    private static final CrdSchemaValidator RESTORES = CrdSchemaValidator.velero("Restore");

    private final CrdSchemaValidator backups = CrdSchemaValidator.velero("Backup");

    /** A BackupStorageLocation {@code default} with this spec. */
    private static Map<String, Object> location(Map<String, Object> spec) {
        return Map.of("apiVersion", "velero.io/v1", "kind", "BackupStorageLocation", "metadata", Map.of("name", "default"),
                "spec", spec);
    }

    /** A Restore {@code r} with this spec. */
    private static Map<String, Object> restore(Map<String, Object> spec) {
        return Map.of("apiVersion", "velero.io/v1", "kind", "Restore", "metadata", Map.of("name", "r"), "spec", spec);
    }

    @Test
    void acceptsAValidBackup() {
        assertThat(backups.validate(GOOD_BACKUP)).isEmpty();
        backups.assertValid(GOOD_BACKUP);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "an unknown field, reported with its path|\"snapshotVolumes\":true|\"snapshotVolume\":true|$.spec.snapshotVolume",
        "null where the schema is not nullable|\"ttl\":\"168h0m0s\"|\"ttl\":null|$.spec.ttl",
        "a bad date-time|2026-11-28T02:00:00Z|next week|$.status.expiration",
    })
    void reportsTheOneBadField(String what, String good, String bad, String path) {
        assertThat(backups.validate(GOOD_BACKUP.replace(good, bad))).extracting(Violation::path).containsExactly(path);
    }

    @Test
    void reportsWrongTypes() {
        String bad = GOOD_BACKUP.replace("\"snapshotVolumes\":true", "\"snapshotVolumes\":\"yes\"")
                .replace("\"totalItems\":10", "\"totalItems\":\"ten\"")
                .replace("[\"shop\"]", "\"shop\"");
        List<Violation> violations = backups.validate(bad);
        assertThat(violations).extracting(Violation::path)
                .containsExactlyInAnyOrder("$.spec.snapshotVolumes", "$.status.progress.totalItems", "$.spec.includedNamespaces");
        assertThat(violations).filteredOn(v -> v.path().equals("$.spec.snapshotVolumes"))
                .extracting(Violation::message).containsExactly("expected boolean, was string");
    }

    @Test
    void reportsValuesOutsideAnEnum() {
        String bad = GOOD_BACKUP.replace("\"phase\":\"Completed\"", "\"phase\":\"Done\"");
        assertThat(backups.validate(bad)).singleElement().satisfies(v -> {
            assertThat(v.path()).isEqualTo("$.status.phase");
            assertThat(v.message()).contains("Completed", "FailedValidation");
        });
    }

    @Test
    void reportsMissingRequiredFieldsInNestedObjects() {
        Map<String, Object> location = location(Map.of("provider", "aws", "objectStorage", Map.of("prefix", "p"),
                "credential", Map.of("name", "s")));
        assertThat(LOCATIONS.validate(location)).extracting(Violation::path)
                .containsExactlyInAnyOrder("$.spec.objectStorage.bucket", "$.spec.credential.key");
    }

    @Test
    void checksMapValuesAgainstAdditionalProperties() {
        Map<String, Object> restore = restore(Map.of("backupName", "b", "namespaceMapping", Map.of("a", "b", "c", 3)));
        assertThat(RESTORES.validate(restore)).extracting(Violation::path).containsExactly("$.spec.namespaceMapping.c");
    }

    @Test
    void checksBase64Format() {
        Map<String, Object> location = location(Map.of("provider", "aws",
                "objectStorage", Map.of("bucket", "b", "caCert", "not base64!")));
        assertThat(LOCATIONS.validate(location)).extracting(Violation::path).containsExactly("$.spec.objectStorage.caCert");
    }

    @Test
    void rejectsAnotherKindOrVersion() {
        String wrong = GOOD_BACKUP.replace("\"kind\":\"Backup\"", "\"kind\":\"Restore\"")
                .replace("velero.io/v1", "velero.io/v2");
        assertThat(backups.validate(wrong)).extracting(Violation::path).contains("$.kind", "$.apiVersion");
    }

    @Test
    void assertValidListsEveryViolation() {
        String bad = GOOD_BACKUP.replace("\"ttl\":\"168h0m0s\"", "\"ttl\":1").replace("\"snapshotVolumes\":true", "\"x\":1");
        assertThatThrownBy(() -> backups.assertValid(bad)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("$.spec.ttl").hasMessageContaining("$.spec.x");
    }

    @Test
    void preservesUnknownFieldsWhereTheSchemaSaysSo() {
        Map<String, Object> restore = restore(Map.of("backupName", "b", "hooks", Map.of("resources", List.of(Map.of("name", "h",
                        "postHooks", List.of(Map.of("init", Map.of("initContainers",
                                List.of(Map.of("name", "c", "image", "busybox", "anything", Map.of("x", 1)))))))))));
        assertThat(RESTORES.validate(restore)).isEmpty();
    }

    @Test
    void bundledCrdsMatchTheSharedCopiesWhenPresent() throws Exception {
        List<String> kinds = CrdSchemaValidator.veleroCrds().stream().map(c -> c.getSpec().getNames().getKind()).toList();
        assertThat(kinds).containsExactly("Backup", "BackupStorageLocation", "DeleteBackupRequest", "Restore", "Schedule",
                "VolumeSnapshotLocation");
        Path shared = CrdSchemaValidator.findSharedVeleroCrds(Path.of("")).orElse(null);
        if (shared == null) {
            return; // built outside the project's workspace: only the bundled copies exist
        }
        try (Stream<Path> files = Files.list(shared)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                CrdSchemaValidator fromFile = CrdSchemaValidator.fromFile(file);
                assertThat(fromFile.crd()).isEqualTo(CrdSchemaValidator.veleroCrd(fromFile.kind()));
            }
        }
    }
}
