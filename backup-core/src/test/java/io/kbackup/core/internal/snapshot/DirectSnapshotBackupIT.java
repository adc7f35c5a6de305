package io.kbackup.core.internal.snapshot;

import static io.kbackup.core.internal.snapshot.SnapshotFixture.claim;
import static io.kbackup.core.internal.snapshot.SnapshotFixture.configMap;
import static io.kbackup.core.internal.snapshot.SnapshotFixture.csiVolume;
import static io.kbackup.core.internal.snapshot.SnapshotFixture.hostPathVolume;
import static io.kbackup.core.internal.snapshot.SnapshotFixture.namespace;
import static io.kbackup.core.internal.snapshot.SnapshotFixture.node;
import static io.kbackup.core.internal.snapshot.SnapshotFixture.pod;
import static io.kbackup.core.internal.snapshot.SnapshotFixture.snapshotClass;
import static io.kbackup.core.internal.snapshot.SnapshotFixture.unboundClaim;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.InvalidPlanException;
import io.kbackup.core.KBackup;
import io.kbackup.core.direct.DirectEngine;
import io.kbackup.core.direct.DirectOptions;
import io.kbackup.core.internal.layout.GzipJson;
import io.kbackup.core.internal.layout.TestTarReader;
import io.kbackup.core.internal.layout.VeleroKeys;
import io.kbackup.testkit.cluster.EmbeddedCluster;
import io.kbackup.testkit.cluster.StandInSnapshotController;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * DirectEngine backups that include all disks, on one embedded cluster with a stand-in snapshot
 * controller. Namespaces hold the cases: {@code app} (four CSI volumes, one per class rule, plus a
 * hostPath volume and an unbound claim), {@code maint} (claim used on a cordoned node),
 * {@code broken} (one snapshot fails), {@code slow} (one snapshot never becomes ready),
 * {@code noclass} (driver without class), {@code delpol} (class with deletionPolicy Delete).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DirectSnapshotBackupIT {
    @TempDir
    static Path folder;
    EmbeddedCluster cluster;
    KubernetesClient client;
    StandInSnapshotController controller;
    BackupLocation location;
    final List<DirectEngine> engines = new ArrayList<>();
    int runs;

    @BeforeAll
    void start() {
        cluster = EmbeddedCluster.start();
        client = cluster.client();
        location = BackupLocation.localFolder(folder).build();
        List<HasMetadata> objects = SnapshotFixture.list(
                node("node-1", false), node("node-cordoned", true),
                snapshotClass("a-default", "a.csi.example.com", "Retain", "default"),
                snapshotClass("a-other", "a.csi.example.com", "Retain", null),
                snapshotClass("b-default", "b.csi.example.com", "Retain", "default"),
                snapshotClass("b-labelled", "b.csi.example.com", "Retain", "label"),
                snapshotClass("e-only", "e.csi.example.com", "Retain", null),
                snapshotClass("d-only", "d.csi.example.com", "Delete", null),
                namespace("app"), configMap("app", "settings"),
                claim("app", "data", Map.of()), csiVolume("app", "data", "a.csi.example.com"),
                claim("app", "logs", Map.of()), csiVolume("app", "logs", "b.csi.example.com"),
                claim("app", "cache", Map.of(VeleroKeys.CSI_SNAPSHOT_CLASS, "a-other")), csiVolume("app", "cache", "a.csi.example.com"),
                claim("app", "media", Map.of()), csiVolume("app", "media", "e.csi.example.com"),
                claim("app", "scratch", Map.of()), hostPathVolume("app", "scratch"),
                unboundClaim("app", "pending"),
                pod("app", "web", "node-1", "data"),
                namespace("maint"), claim("maint", "m", Map.of()), csiVolume("maint", "m", "a.csi.example.com"),
                pod("maint", "worker", "node-cordoned", "m"),
                namespace("broken"), claim("broken", "ok", Map.of()), csiVolume("broken", "ok", "a.csi.example.com"),
                claim("broken", "bad", Map.of()), csiVolume("broken", "bad", "a.csi.example.com"),
                namespace("slow"), claim("slow", "stuck", Map.of()), csiVolume("slow", "stuck", "a.csi.example.com"),
                namespace("noclass"), claim("noclass", "orphan", Map.of()), csiVolume("noclass", "orphan", "c.csi.example.com"),
                namespace("delpol"), claim("delpol", "d", Map.of()), csiVolume("delpol", "d", "d.csi.example.com"));
        cluster.seed(objects.stream());
        controller = new StandInSnapshotController(client)
                .behave("broken", "bad", StandInSnapshotController.Behaviour.ERROR)
                .behave("slow", "stuck", StandInSnapshotController.Behaviour.NEVER);
    }

    @AfterAll
    void stop() {
        controller.close();
        engines.forEach(DirectEngine::close);
        client.close();
        cluster.close();
    }

    @Test
    void snapshotsEveryCsiVolumeWithTheClassVeleroWouldChooseAndRecordsThem() throws Exception {
        Run run = backup(engine(UnaryOperator.identity()), b -> b.includedNamespaces("app", "maint"));
        assertThat(run.info.phase()).isEqualTo(BackupPhase.COMPLETED);
        assertThat(run.info.volumeSnapshotsAttempted()).isEqualTo(4);
        assertThat(run.info.volumeSnapshotsCompleted()).isEqualTo(4);
        assertThat(run.doc.path("status").path("csiVolumeSnapshotsAttempted").asInt()).isEqualTo(4);
        assertThat(run.doc.path("status").path("csiVolumeSnapshotsCompleted").asInt()).isEqualTo(4);

        Map<String, String> classByClaim = new HashMap<>();
        for (GenericKubernetesResource vs : snapshotsOf(run.name)) {
            classByClaim.put(vs.getMetadata().getNamespace() + "/" + vs.get("spec", "source", "persistentVolumeClaimName"),
                    (String) vs.get("spec", "volumeSnapshotClassName"));
            assertThat(vs.getMetadata().getName()).startsWith("velero-" + vs.get("spec", "source", "persistentVolumeClaimName") + "-");
        }
        assertThat(classByClaim).containsOnly(Map.entry("app/data", "a-default"), Map.entry("app/logs", "b-labelled"),
                Map.entry("app/cache", "a-other"), Map.entry("app/media", "e-only"));

        // the tarball holds the snapshots and their contents (the backup made them)
        for (GenericKubernetesResource vs : snapshotsOf(run.name)) {
            String vsPath = "resources/volumesnapshots.snapshot.storage.k8s.io/namespaces/app/" + vs.getMetadata().getName() + ".json";
            assertThat(run.archive).containsKey(vsPath)
                    .containsKey("resources/volumesnapshots.snapshot.storage.k8s.io/v1-preferredversion/namespaces/app/"
                            + vs.getMetadata().getName() + ".json");
            JsonNode archived = GzipJson.MAPPER.readTree(run.archive.get(vsPath));
            String content = archived.path("status").path("boundVolumeSnapshotContentName").asText();
            assertThat(archived.path("metadata").path("annotations").path(VeleroKeys.CSI_SNAPSHOT_HANDLE).asText()).startsWith("handle-app-");
            assertThat(run.archive).containsKey("resources/volumesnapshotcontents.snapshot.storage.k8s.io/cluster/" + content + ".json");
        }
        assertThat(run.resourceList.path("snapshot.storage.k8s.io/v1/VolumeSnapshot")).hasSize(4);
        assertThat(run.resourceList.path("snapshot.storage.k8s.io/v1/VolumeSnapshotContent")).hasSize(4);

        // volumeinfo: 4 snapshots, 3 skipped volumes, each named with its reason
        Map<String, JsonNode> records = records(run);
        assertThat(records).containsOnlyKeys("app/data", "app/logs", "app/cache", "app/media", "app/scratch", "app/pending", "maint/m");
        JsonNode data = records.get("app/data");
        assertThat(data.path("backupMethod").asText()).isEqualTo("CSISnapshot");
        assertThat(data.path("result").asText()).isEqualTo("succeeded");
        assertThat(data.path("snapshotDataMoved").asBoolean(true)).isFalse();
        assertThat(data.path("pvName").asText()).isEqualTo("pv-app-data");
        assertThat(data.path("csiSnapshotInfo").path("driver").asText()).isEqualTo("a.csi.example.com");
        assertThat(data.path("csiSnapshotInfo").path("snapshotHandle").asText()).isEqualTo("handle-app-data");
        assertThat(data.path("csiSnapshotInfo").path("size").asLong()).isEqualTo(1L << 30);
        assertThat(data.path("csiSnapshotInfo").path("vscName").asText()).startsWith("snapcontent-velero-data-");
        assertThat(data.path("csiSnapshotInfo").path("volumeSnapshotClass").asText()).isEqualTo("a-default");
        assertThat(data.path("pvInfo").path("reclaimPolicy").asText()).isEqualTo("Delete");
        assertThat(data.path("pvInfo").path("labels").path("tier").asText()).isEqualTo("gold");
        assertThat(records.get("app/scratch").path("skipped").asBoolean()).isTrue();
        assertThat(records.get("app/scratch").path("skippedReason").asText()).contains("not a CSI volume");
        assertThat(records.get("app/pending").path("skippedReason").asText()).contains("not bound");
        assertThat(records.get("maint/m").path("skippedReason").asText()).contains("node-cordoned", "maintenance mode", "cordoned");
        assertThat(run.results).contains("Volume app/scratch", "Volume app/pending", "Volume maint/m", "NOT backed up");
        assertThat(run.info.warnings()).isGreaterThanOrEqualTo(3);
        assertThat(run.info.errors()).isZero();
    }

    @Test
    void aDriverWithoutClassRefusesThePlanBeforeAnythingIsCreated() {
        DirectEngine engine = engine(UnaryOperator.identity());
        BackupPlan plan = plan(b -> b.includedNamespaces("noclass", "app"));
        assertThatThrownBy(() -> engine.backup(plan))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("noclass/orphan")
                .hasMessageContaining("c.csi.example.com")
                .hasMessageContaining("snapshotMissingClassPolicy(SKIP)");
        assertThat(snapshotsOf(plan.name().orElseThrow())).isEmpty();
        assertThat(folder.resolve("backups/" + plan.name().orElseThrow())).doesNotExist();
    }

    @Test
    void aDriverWithoutClassIsSkippedWithAWarningUnderTheSkipPolicy() throws Exception {
        Run run = backup(engine(o -> o.snapshotMissingClassPolicy(DirectOptions.MissingSnapshotClassPolicy.SKIP)),
                b -> b.includedNamespaces("noclass"));
        assertThat(run.info.phase()).isEqualTo(BackupPhase.COMPLETED);
        assertThat(run.info.volumeSnapshotsAttempted()).isZero();
        assertThat(run.results).contains("Volume noclass/orphan", "no VolumeSnapshotClass exists for driver 'c.csi.example.com'");
        assertThat(records(run).get("noclass/orphan").path("skipped").asBoolean()).isTrue();
    }

    @Test
    void aClassThatDeletesItsSnapshotsIsAWarningOrInStrictModeARefusal() throws Exception {
        Run run = backup(engine(UnaryOperator.identity()), b -> b.includedNamespaces("delpol"));
        assertThat(run.info.phase()).isEqualTo(BackupPhase.COMPLETED);
        assertThat(run.info.volumeSnapshotsCompleted()).isEqualTo(1);
        assertThat(run.results).contains("d-only", "deletionPolicy 'Delete'");

        DirectEngine strict = engine(o -> o.strictSnapshotDeletionPolicy(true));
        BackupPlan plan = plan(b -> b.includedNamespaces("delpol"));
        assertThatThrownBy(() -> strict.backup(plan)).isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("d-only").hasMessageContaining("not Retain");
        assertThat(snapshotsOf(plan.name().orElseThrow())).isEmpty();
    }

    @Test
    void aFailedSnapshotMakesTheBackupPartiallyFailedNamingTheVolume() throws Exception {
        Run run = backup(engine(UnaryOperator.identity()), b -> b.includedNamespaces("broken"));
        assertThat(run.info.phase()).isEqualTo(BackupPhase.PARTIALLY_FAILED);
        assertThat(run.info.volumeSnapshotsAttempted()).isEqualTo(2);
        assertThat(run.info.volumeSnapshotsCompleted()).isEqualTo(1);
        assertThat(run.info.errors()).isEqualTo(1);
        assertThat(run.results).contains("Volume broken/bad", "disk bad is busy");
        assertThat(records(run).get("broken/bad").path("result").asText()).isEqualTo("failed");
        assertThat(records(run).get("broken/ok").path("result").asText()).isEqualTo("succeeded");
        assertThat(run.archive.keySet()).anyMatch(k -> k.startsWith("resources/volumesnapshots.snapshot.storage.k8s.io/namespaces/broken/velero-ok-"))
                .noneMatch(k -> k.startsWith("resources/volumesnapshots.snapshot.storage.k8s.io/namespaces/broken/velero-bad-"));
    }

    @Test
    void aSnapshotNotReadyInTimeMakesTheBackupPartiallyFailed() throws Exception {
        long t0 = System.nanoTime();
        Run run = backup(engine(o -> o.snapshotReadyTimeout(Duration.ofMillis(400))), b -> b.includedNamespaces("slow"));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
        assertThat(run.info.phase()).isEqualTo(BackupPhase.PARTIALLY_FAILED);
        assertThat(run.results).contains("Volume slow/stuck", "was not ready within PT0.4S");
        assertThat(records(run).get("slow/stuck").path("result").asText()).isEqualTo("failed");
    }

    @Test
    void cancellingWhileWaitingForSnapshotsEndsTheBackupFailedWithoutWaitingForTheTimeout() throws Exception {
        BackupPlan plan = plan(b -> b.includedNamespaces("slow"));
        var handle = engine(o -> o.snapshotReadyTimeout(Duration.ofMinutes(10))).backup(plan);
        String name = plan.name().orElseThrow();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (snapshotsOf(name).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(snapshotsOf(name)).hasSize(1);
        handle.cancel();
        BackupInfo info = handle.await(Duration.ofSeconds(20));
        assertThat(info.phase()).isEqualTo(BackupPhase.FAILED);
        assertThat(info.failureReason()).isEqualTo("cancelled");
    }

    @Test
    void deletingTheBackupDeletesItsSnapshotsAndTheirContentsButNoOtherBackups() throws Exception {
        DirectEngine engine = engine(UnaryOperator.identity());
        Run keep = backup(engine, b -> b.includedNamespaces("broken").includedResources("persistentvolumeclaims"));
        Run gone = backup(engine, b -> b.includedNamespaces("app"));
        List<String> contents = snapshotsOf(gone.name).stream()
                .map(vs -> (String) vs.get("status", "boundVolumeSnapshotContentName")).toList();
        assertThat(contents).hasSize(4);

        engine.deleteBackup(location, gone.name);

        assertThat(snapshotsOf(gone.name)).isEmpty();
        for (String c : contents) {
            assertThat(SnapshotApi.contents(client).withName(c).get()).as("content %s", c).isNull();
        }
        assertThat(snapshotsOf(keep.name)).hasSize(2);
        assertThat(folder.resolve("backups/" + gone.name + "/velero-backup.json")).doesNotExist();
        assertThat(engine.listBackups(location)).extracting(BackupInfo::name).contains(keep.name).doesNotContain(gone.name);
    }

    // ---------------------------------------------------------------- helpers

    record Run(String name, BackupInfo info, JsonNode doc, Map<String, byte[]> archive, String results, JsonNode volumeInfo,
            JsonNode resourceList) {}

    private DirectEngine engine(UnaryOperator<DirectOptions.Builder> options) {
        DirectEngine e = KBackup.direct(client, options.apply(DirectOptions.builder().retryBaseDelay(Duration.ofMillis(10))).build());
        engines.add(e);
        return e;
    }

    private BackupPlan plan(UnaryOperator<BackupPlan.Builder> plan) {
        return plan.apply(BackupPlan.builder().name("disks-" + (++runs)).location(location).includeAllDisks(true)).build();
    }

    private Run backup(DirectEngine engine, UnaryOperator<BackupPlan.Builder> plan) throws Exception {
        return backUp(engine, plan(plan), folder, Duration.ofSeconds(60));
    }

    /**
     * Runs {@code plan} (on a local folder location at {@code folder}) to its end and reads back what it
     * wrote: the backup document, the archive, the results, volume information and resource list.
     */
    static Run backUp(DirectEngine engine, BackupPlan plan, Path folder, Duration wait) throws Exception {
        String name = plan.name().orElseThrow();
        BackupInfo info = engine.backup(plan).await(wait);
        Path dir = folder.resolve("backups/" + name);
        return new Run(name, info, GzipJson.MAPPER.readTree(Files.readAllBytes(dir.resolve("velero-backup.json"))),
                TestTarReader.readTarGz(Files.readAllBytes(dir.resolve(name + ".tar.gz"))),
                gunzip(dir.resolve(name + "-results.gz")), GzipJson.MAPPER.readTree(gunzip(dir.resolve(name + "-volumeinfo.json.gz"))),
                GzipJson.MAPPER.readTree(gunzip(dir.resolve(name + "-resource-list.json.gz"))));
    }

    /** The backup's volume information records by {@code namespace/claim}. */
    static Map<String, JsonNode> records(Run run) {
        Map<String, JsonNode> out = new HashMap<>();
        run.volumeInfo.forEach(r -> out.put(r.path("pvcNamespace").asText() + "/" + r.path("pvcName").asText(), r));
        return out;
    }

    private List<GenericKubernetesResource> snapshotsOf(String backup) {
        return SnapshotApi.snapshots(client).inAnyNamespace().withLabel(VeleroKeys.BACKUP_NAME, backup).list().getItems();
    }

    static String gunzip(Path file) throws Exception {
        try (var in = new java.util.zip.GZIPInputStream(new ByteArrayInputStream(Files.readAllBytes(file)))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static Stream<HasMetadata> none() {
        return Stream.empty();
    }
}
