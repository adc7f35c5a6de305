package io.kbackup.core.internal.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.ClusterWideMode;
import io.kbackup.CorruptBackupException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackupDocumentTest {
    private static final CrdSchema BACKUP_CRD = CrdSchema.load("velero.io_backups.yaml");
    private static final Instant START = Instant.parse("2026-11-21T02:00:00.123Z");
    private static final BackupLocation LOCATION = BackupLocation.localFolder(Path.of("/tmp/kb")).name("primary").build();

    private static BackupPlan.Builder plan() {
        return BackupPlan.builder().name("b1").location(LOCATION);
    }

    @Test
    void theSourceClusterVersionIsAnnotatedAsVeleroDoes() {
        ObjectNode doc = BackupDocument.backup("b1", "velero", plan().build(), START);
        BackupDocument.annotateSourceCluster(doc, new io.fabric8.kubernetes.client.VersionInfo.Builder()
                .withGitVersion("v1.35.4").withMajor("1").withMinor("35").build());
        // as the real Velero 1.18.3 annotates its own backups (VeleroBothWaysRealVeleroIT)
        assertThat(doc.path("metadata").path("annotations").toString()).isEqualTo(
                "{\"velero.io/source-cluster-k8s-gitversion\":\"v1.35.4\",\"velero.io/source-cluster-k8s-major-version\":\"1\","
                + "\"velero.io/source-cluster-k8s-minor-version\":\"35\"}");
        assertThat(BACKUP_CRD.problems(doc)).isEmpty();
        ObjectNode unknown = BackupDocument.annotateSourceCluster(BackupDocument.backup("b1", "velero", plan().build(), START),
                null);
        assertThat(unknown.path("metadata").has("annotations")).isFalse();
    }

    @Test
    void specCarriesEveryPlanFieldInVeleroNames() {
        BackupPlan p = plan()
                .includedNamespaces("shop", "payments")
                .excludedNamespaces("kube-system")
                .includedResources("deployments.apps", "configmaps")
                .excludedResources("secrets")
                .labelSelector(Map.of("app", "web"))
                .clusterWideMode(ClusterWideMode.ALWAYS)
                .expiry(Duration.ofDays(7))
                .build();
        ObjectNode spec = BackupDocument.spec(p);
        assertThat(spec.toString()).isEqualTo("{\"includedNamespaces\":[\"payments\",\"shop\"],"
                + "\"excludedNamespaces\":[\"kube-system\"],"
                + "\"includedResources\":[\"deployments.apps\",\"configmaps\"],"
                + "\"excludedResources\":[\"secrets\"],"
                + "\"labelSelector\":{\"matchLabels\":{\"app\":\"web\"}},"
                + "\"includeClusterResources\":true,"
                + "\"snapshotVolumes\":false,"
                + "\"ttl\":\"168h0m0s\","
                + "\"storageLocation\":\"primary\"}");
    }

    @Test
    void clusterWideModeMapsToIncludeClusterResources() {
        assertThat(BackupDocument.spec(plan().build()).has("includeClusterResources")).isFalse();
        assertThat(BackupDocument.spec(plan().clusterWideMode(ClusterWideMode.NEVER).build()).get("includeClusterResources").asBoolean()).isFalse();
        assertThat(BackupDocument.spec(plan().clusterWideMode(ClusterWideMode.ALWAYS).build()).get("includeClusterResources").asBoolean()).isTrue();
        assertThat(BackupDocument.spec(plan().build()).get("ttl").asText()).isEqualTo("720h0m0s");
    }

    @Test
    void documentIsAValidBackupWithLabelsAndStatus() {
        BackupPlan p = plan().labels(Map.of("team", "shop")).includedNamespaces("shop").build();
        ObjectNode doc = BackupDocument.document("b1", p, START, new BackupDocument.Status(BackupPhase.COMPLETED, START,
                START.plusSeconds(30), START.plus(p.expiry()), 12, 12, 0, 1, null, 0, 0));
        assertThat(BACKUP_CRD.problems(doc)).isEmpty();
        assertThat(doc.path("apiVersion").asText()).isEqualTo("velero.io/v1");
        assertThat(doc.path("kind").asText()).isEqualTo("Backup");
        assertThat(doc.path("metadata").path("name").asText()).isEqualTo("b1");
        assertThat(doc.path("metadata").path("namespace").asText()).isEqualTo("velero");
        assertThat(doc.path("metadata").path("labels").path("velero.io/storage-location").asText()).isEqualTo("primary");
        assertThat(doc.path("metadata").path("labels").path("team").asText()).isEqualTo("shop");
        JsonNode st = doc.path("status");
        assertThat(st.path("version").asInt()).isEqualTo(1);
        assertThat(st.path("formatVersion").asText()).isEqualTo("1.1.0");
        assertThat(st.path("phase").asText()).isEqualTo("Completed");
        assertThat(st.path("startTimestamp").asText()).isEqualTo("2026-11-21T02:00:00Z");
        assertThat(st.path("completionTimestamp").asText()).isEqualTo("2026-11-21T02:00:30Z");
        assertThat(st.path("expiration").asText()).isEqualTo("2026-12-21T02:00:00Z");
        assertThat(st.path("progress").path("totalItems").asLong()).isEqualTo(12);
        assertThat(st.path("warnings").asInt()).isEqualTo(1);
        assertThat(st.has("errors")).isFalse();
        assertThat(new String(BackupDocument.toBytes(doc), StandardCharsets.UTF_8)).endsWith("}\n").doesNotContain("\n{");
    }

    @Test
    void anExpirationHiddenFromVeleroIsAnAnnotationKbackupStillReads() {
        ObjectNode doc = BackupDocument.document("b1", plan().build(), START, new BackupDocument.Status(BackupPhase.COMPLETED, START,
                START.plusSeconds(30), START.plus(Duration.ofDays(7)), 3, 3, 0, 0, null, 0, 0));
        BackupDocument.hideExpirationFromVelero(doc);
        // Velero's GC skips a Backup without status.expiration (gc_controller.go in Velero 1.18)
        assertThat(doc.path("status").has("expiration")).isFalse();
        assertThat(doc.path("metadata").path("annotations").path(BackupDocument.EXPIRATION_ANNOTATION).asText())
                .isEqualTo("2026-11-28T02:00:00Z");
        assertThat(BACKUP_CRD.problems(doc)).isEmpty();
        assertThat(BackupDocument.toInfo(doc).expires()).isEqualTo(Instant.parse("2026-11-28T02:00:00Z"));
        // a second call, or a document without an expiration, changes nothing
        assertThat(BackupDocument.hideExpirationFromVelero(doc.deepCopy())).isEqualTo(doc);
        ObjectNode none = BackupDocument.backup("b1", "velero", plan().build(), START);
        assertThat(BackupDocument.hideExpirationFromVelero(none.deepCopy())).isEqualTo(none);
        assertThat(BackupDocument.toInfo(none).expires()).isNull();
    }

    @Test
    void failedDocumentCarriesTheReasonAndIsValid() {
        ObjectNode doc = BackupDocument.document("b1", plan().build(), START, new BackupDocument.Status(BackupPhase.FAILED, START,
                START.plusSeconds(3), START.plusSeconds(10), 40, 17, 0, 0, "writing to the backup location failed: disk full", 0, 0));
        assertThat(BACKUP_CRD.problems(doc)).isEmpty();
        BackupInfo info = BackupDocument.toInfo(doc);
        assertThat(info.phase()).isEqualTo(BackupPhase.FAILED);
        assertThat(info.failureReason()).isEqualTo("writing to the backup location failed: disk full");
        assertThat(info.itemsBackedUp()).isEqualTo(17);
    }

    @Test
    void ourDocumentReadsBackAsThePlanDescribesIt() {
        BackupPlan p = plan().includedNamespaces("shop").excludedNamespaces("shop-tmp").clusterWideMode(ClusterWideMode.NEVER)
                .labels(Map.of(VeleroKeys.SCHEDULE_NAME, "nightly")).build();
        ObjectNode doc = BackupDocument.document("b1", p, START, new BackupDocument.Status(BackupPhase.PARTIALLY_FAILED, START,
                START.plusSeconds(30), START.plus(p.expiry()), 5, 4, 1, 2, null, 0, 0));
        BackupInfo info = BackupDocument.parse("b1", BackupDocument.toBytes(doc));
        assertThat(info.name()).isEqualTo("b1");
        assertThat(info.phase()).isEqualTo(BackupPhase.PARTIALLY_FAILED);
        assertThat(info.location()).isEqualTo("primary");
        assertThat(info.created()).isEqualTo(Instant.parse("2026-11-21T02:00:00Z"));
        assertThat(info.started()).isEqualTo(Instant.parse("2026-11-21T02:00:00Z"));
        assertThat(info.completed()).isEqualTo(Instant.parse("2026-11-21T02:00:30Z"));
        assertThat(info.expires()).isEqualTo(Instant.parse("2026-12-21T02:00:00Z"));
        assertThat(info.includedNamespaces()).containsExactly("shop");
        assertThat(info.excludedNamespaces()).containsExactly("shop-tmp");
        assertThat(info.clusterWideMode()).isEqualTo(ClusterWideMode.NEVER);
        assertThat(info.includesDisks()).isFalse();
        assertThat(info.itemsTotal()).isEqualTo(5);
        assertThat(info.itemsBackedUp()).isEqualTo(4);
        assertThat(info.errors()).isEqualTo(1);
        assertThat(info.warnings()).isEqualTo(2);
        assertThat(info.failureReason()).isNull();
        assertThat(info.scheduleName()).isEqualTo("nightly");
    }

    @Test
    void readsABackupVeleroWroteIgnoringFieldsItDoesNotUse() {
        String json = VeleroFixture.backupJson("velero-nightly-20261120020000", "PartiallyFailed", Instant.parse("2026-11-20T02:00:00Z"));
        BackupInfo info = BackupDocument.parse("velero-nightly-20261120020000", json.getBytes(StandardCharsets.UTF_8));
        assertThat(info.name()).isEqualTo("velero-nightly-20261120020000");
        assertThat(info.phase()).isEqualTo(BackupPhase.PARTIALLY_FAILED);
        assertThat(info.location()).isEqualTo("default");
        assertThat(info.started()).isEqualTo(Instant.parse("2026-11-20T02:00:00Z"));
        assertThat(info.completed()).isEqualTo(Instant.parse("2026-11-20T02:03:12Z"));
        assertThat(info.expires()).isEqualTo(Instant.parse("2026-11-27T02:00:00Z"));
        assertThat(info.includedNamespaces()).isEmpty();
        assertThat(info.namespacesForDisplay()).isEqualTo("all except kube-system");
        assertThat(info.clusterWideMode()).isEqualTo(ClusterWideMode.AUTO);
        assertThat(info.includesDisks()).isTrue();
        assertThat(info.volumeSnapshotsAttempted()).isEqualTo(3);
        assertThat(info.itemsTotal()).isEqualTo(812);
        assertThat(info.itemsBackedUp()).isEqualTo(810);
        assertThat(info.errors()).isEqualTo(2);
        assertThat(info.warnings()).isEqualTo(5);
        assertThat(info.scheduleName()).isEqualTo("velero-nightly");
        assertThat(BackupDocument.ttl(GzipJson.MAPPER.valueToTree(Map.of("ttl", "168h0m0s")))).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void veleroFixtureItselfIsValidAgainstTheCrd() throws Exception {
        JsonNode doc = GzipJson.MAPPER.readTree(VeleroFixture.backupJson("v1", "Completed", START));
        assertThat(BACKUP_CRD.problems(doc)).isEmpty();
    }

    @Test
    void schemaCheckCatchesWrongTypesEnumsAndUnknownFields() throws Exception {
        ObjectNode doc = (ObjectNode) GzipJson.MAPPER.readTree(VeleroFixture.backupJson("v1", "Completed", START));
        ((ObjectNode) doc.get("status")).put("phase", "Done");
        ((ObjectNode) doc.get("status")).put("errors", "two");
        ((ObjectNode) doc.get("spec")).put("ttlSeconds", 5);
        List<String> problems = BACKUP_CRD.problems(doc);
        assertThat(problems).hasSize(3);
    }

    @Test
    void phasesAreReadByVelerosNamesAndUnknownOnesAreKeptAsRead() throws Exception {
        assertThat(VeleroPhases.backup("Queued")).isEqualTo(BackupPhase.QUEUED);
        assertThat(VeleroPhases.backup("ReadyToStart")).isEqualTo(BackupPhase.READY_TO_START);
        assertThat(VeleroPhases.backup(null)).isEqualTo(BackupPhase.NEW);
        assertThat(VeleroPhases.backup("WaitingForPluginOperations")).isEqualTo(BackupPhase.WAITING_FOR_PLUGIN_OPERATIONS);
        assertThat(VeleroPhases.backup("COMPLETED")).as("only Velero's spelling").isEqualTo(BackupPhase.UNKNOWN);

        ObjectNode doc = (ObjectNode) GzipJson.MAPPER.readTree(VeleroFixture.backupJson("v1", "Completed", START));
        assertThat(BackupDocument.toInfo(doc).phase()).isEqualTo(BackupPhase.COMPLETED);
        ((ObjectNode) doc.get("status")).put("phase", "Paused");
        BackupInfo info = BackupDocument.toInfo(doc);
        assertThat(info.phase()).isEqualTo(BackupPhase.UNKNOWN);
        assertThat(info.phase().isTerminal()).isFalse();
        assertThat(info.veleroPhase()).isEqualTo("Paused");
        assertThat(BackupDocument.status(new BackupDocument.Status(BackupPhase.PARTIALLY_FAILED, null, null, null, 0, 0, 0, 0, null, 0, 0))
                .path("phase").asText()).isEqualTo("PartiallyFailed");
    }

    @Test
    void garbageIsACorruptBackupNamingIt() {
        assertThatThrownBy(() -> BackupDocument.parse("b9", "{not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(CorruptBackupException.class).hasMessageContaining("b9");
        assertThatThrownBy(() -> BackupDocument.parse("b9", "{\"kind\":\"Restore\",\"metadata\":{\"name\":\"b9\"}}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(CorruptBackupException.class);
        assertThatThrownBy(() -> BackupDocument.parse("b9",
                "{\"kind\":\"Backup\",\"metadata\":{\"name\":\"b9\"},\"status\":{\"startTimestamp\":\"yesterday\"}}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(CorruptBackupException.class);
    }
}
