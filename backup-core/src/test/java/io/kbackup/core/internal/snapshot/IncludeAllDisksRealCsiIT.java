package io.kbackup.core.internal.snapshot;

import static io.kbackup.core.internal.snapshot.DirectSnapshotBackupIT.records;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.InvalidPlanException;
import io.kbackup.RestoreInfo;
import io.kbackup.RestorePhase;
import io.kbackup.RestorePlan;
import io.kbackup.RestorePreview;
import io.kbackup.Schedule;
import io.kbackup.core.KBackup;
import io.kbackup.core.direct.DirectEngine;
import io.kbackup.core.direct.DirectOptions;
import io.kbackup.core.internal.layout.GzipJson;
import io.kbackup.core.internal.layout.VeleroKeys;
import io.kbackup.core.internal.snapshot.DirectSnapshotBackupIT.Run;
import io.kbackup.core.schedule.BackupScheduler;
import io.kbackup.core.schedule.SchedulerEvent;
import io.kbackup.testkit.cluster.RealCluster;
import io.kbackup.testkit.servers.CsiHostPathDriver;
import io.kbackup.testkit.servers.CsiServers;
import io.kbackup.testkit.servers.ServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Include all disks against the real CSI machinery of Kubernetes: a {@link RealCluster} (etcd,
 * kube-apiserver, kube-controller-manager) with the real snapshot-controller, csi-snapshotter and
 * csi-provisioner ({@link CsiServers}) on a hostpath CSI driver ({@link CsiHostPathDriver}: volumes
 * are folders, snapshots tarballs). Known bytes are written straight into a claim's volume folder;
 * a restore must bring back a claim whose new volume folder holds exactly those bytes. Each test
 * has namespaces of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IncludeAllDisksRealCsiIT {
    private static final Duration WAIT = Duration.ofMinutes(3);
    private static final String DRIVER = CsiHostPathDriver.DEFAULT_NAME;

    @TempDir
    static Path folder;
    CsiHostPathDriver driver;
    RealCluster cluster;
    CsiServers csi;
    KubernetesClient client;
    BackupLocation location;
    final List<AutoCloseable> closeLater = new ArrayList<>();
    int runs;

    @BeforeAll
    void start() {
        driver = CsiHostPathDriver.start();
        cluster = RealCluster.start();
        csi = CsiServers.start(cluster, driver);
        client = cluster.client();
        location = BackupLocation.localFolder(folder).build();
    }

    @AfterAll
    void stop() throws Exception {
        for (int i = closeLater.size() - 1; i >= 0; i--) {
            closeLater.get(i).close();
        }
        if (client != null) {
            client.close();
        }
        for (AutoCloseable c : new AutoCloseable[] {csi, cluster, driver}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void aBackupWithAllDisksSnapshotsTheClaimAndARestoreInTheSameClusterBringsBackTheSameBytes() throws Exception {
        namespace("shop");
        client.configMaps().inNamespace("shop").resource(new ConfigMapBuilder().withNewMetadata().withName("settings")
                .endMetadata().addToData("mode", "live").build()).create();
        csi.createClaim("shop", "data", "1Gi", Map.of("app", "shop"), Map.of());
        Map<String, String> written = CsiHostPathDriver.writeSample(csi.volumeFolder("shop", "data"), 11);
        String originalHandle = volumeHandle("shop", "data");

        Run run = backup(engine(UnaryOperator.identity()), b -> b.includedNamespaces("shop"));

        assertThat(run.info().phase()).as(run.results()).isEqualTo(BackupPhase.COMPLETED);
        assertThat(run.info().volumeSnapshotsAttempted()).isEqualTo(1);
        assertThat(run.info().volumeSnapshotsCompleted()).isEqualTo(1);
        List<GenericKubernetesResource> snapshots = snapshotsOf(run.name());
        assertThat(snapshots).hasSize(1);
        GenericKubernetesResource vs = snapshots.get(0);
        assertThat((Object) vs.get("status", "readyToUse")).isEqualTo(true);
        String contentName = (String) vs.get("status", "boundVolumeSnapshotContentName");
        GenericKubernetesResource vsc = content(contentName);
        String handle = (String) vsc.get("status", "snapshotHandle");
        // the real snapshotter cut it: the driver holds a tarball of that handle, made from the claim's volume
        assertThat((Object) vsc.get("spec", "driver")).isEqualTo(DRIVER);
        assertThat((Object) vsc.get("spec", "source", "volumeHandle")).isEqualTo(originalHandle);
        assertThat((Object) vsc.get("spec", "deletionPolicy")).isEqualTo("Retain");
        assertThat(driver.snapshotFile(handle)).isRegularFile();

        // the backup records it: the VolumeSnapshot and its content in the tarball, the volumeinfo record
        String vsPath = "resources/volumesnapshots.snapshot.storage.k8s.io/namespaces/shop/" + vs.getMetadata().getName() + ".json";
        assertThat(run.archive()).containsKey(vsPath)
                .containsKey("resources/volumesnapshotcontents.snapshot.storage.k8s.io/cluster/" + contentName + ".json")
                .containsKey("resources/persistentvolumeclaims/namespaces/shop/data.json");
        JsonNode archived = GzipJson.MAPPER.readTree(run.archive().get(vsPath));
        assertThat(archived.path("metadata").path("annotations").path(VeleroKeys.CSI_SNAPSHOT_HANDLE).asText()).isEqualTo(handle);
        assertThat(archived.path("metadata").path("annotations").path(VeleroKeys.CSI_DRIVER_NAME).asText()).isEqualTo(DRIVER);
        assertThat(archived.path("metadata").path("labels").path(VeleroKeys.BACKUP_NAME).asText()).isEqualTo(run.name());
        JsonNode archivedClaim = GzipJson.MAPPER.readTree(run.archive().get("resources/persistentvolumeclaims/namespaces/shop/data.json"));
        assertThat(archivedClaim.path("metadata").path("annotations").path(VeleroKeys.VOLUME_SNAPSHOT_NAME).asText())
                .isEqualTo(vs.getMetadata().getName());
        assertThat(archivedClaim.path("metadata").path("labels").path(VeleroKeys.VOLUME_SNAPSHOT_NAME).asText())
                .isEqualTo(vs.getMetadata().getName());
        assertThat(client.persistentVolumeClaims().inNamespace("shop").withName("data").get().getMetadata().getAnnotations())
                .as("the live claim is not changed").doesNotContainKey(VeleroKeys.VOLUME_SNAPSHOT_NAME);
        JsonNode record = records(run).get("shop/data");
        assertThat(record.path("backupMethod").asText()).isEqualTo("CSISnapshot");
        assertThat(record.path("result").asText()).isEqualTo("succeeded");
        assertThat(record.path("csiSnapshotInfo").path("snapshotHandle").asText()).isEqualTo(handle);
        assertThat(record.path("csiSnapshotInfo").path("driver").asText()).isEqualTo(DRIVER);
        assertThat(record.path("csiSnapshotInfo").path("vscName").asText()).isEqualTo(contentName);
        assertThat(record.path("csiSnapshotInfo").path("volumeSnapshotClass").asText()).isEqualTo(CsiServers.RETAIN_CLASS);
        assertThat(record.path("csiSnapshotInfo").path("size").asLong()).isEqualTo(1L << 30);

        // the claim is lost with its volume; the restore provisions it anew from the backup's own snapshot
        client.persistentVolumeClaims().inNamespace("shop").withName("data").delete();
        await("claim shop/data and its volume folder gone", () -> client.persistentVolumeClaims().inNamespace("shop")
                .withName("data").get() == null && !Files.exists(driver.volumeFolder(originalHandle)));

        RestoreInfo restored = engine(UnaryOperator.identity()).restore(RestorePlan.builder().location(location).backupName(run.name())
                .includedNamespaces("shop").build()).await(WAIT);

        assertThat(restored.phase()).as("errors %s", restored.errors()).isEqualTo(RestorePhase.COMPLETED);
        PersistentVolumeClaim claim = csi.awaitBound("shop", "data", WAIT);
        assertThat(claim.getSpec().getDataSource().getKind()).isEqualTo("VolumeSnapshot");
        assertThat(claim.getSpec().getDataSource().getName()).isEqualTo(vs.getMetadata().getName());
        assertThat(volumeHandle("shop", "data")).isNotEqualTo(originalHandle);
        assertThat(CsiHostPathDriver.digests(csi.volumeFolder("shop", "data"))).isEqualTo(written);
    }

    @Test
    void aRestoreIntoAnotherClusterServedByTheSameDriverBringsBackTheSameBytesAndThePreviewShowsTheDataSource()
            throws Exception {
        namespace("orders");
        csi.createClaim("orders", "ledger", "2Gi", Map.of(), Map.of());
        Map<String, String> written = CsiHostPathDriver.writeSample(csi.volumeFolder("orders", "ledger"), 23);
        Run run = backup(engine(UnaryOperator.identity()), b -> b.includedNamespaces("orders"));
        assertThat(run.info().phase()).as(run.results()).isEqualTo(BackupPhase.COMPLETED);
        String handle = records(run).get("orders/ledger").path("csiSnapshotInfo").path("snapshotHandle").asText();
        String snapshotName = snapshotsOf(run.name()).get(0).getMetadata().getName();

        RealCluster other = RealCluster.start();
        closeLater.add(other);
        CsiServers otherCsi = CsiServers.start(other, driver);
        closeLater.add(otherCsi);
        KubernetesClient otherClient = other.client();
        closeLater.add(otherClient);
        DirectEngine otherEngine = KBackup.direct(otherClient, options(UnaryOperator.identity()));
        closeLater.add(otherEngine);
        RestorePlan plan = RestorePlan.builder().location(location).backupName(run.name())
                .namespaceMapping(Map.of("orders", "orders-copy")).build();

        RestorePreview preview = otherEngine.preview(plan);
        RestorePreview.Item claimItem = preview.items().stream()
                .filter(i -> i.groupResource().equals("persistentvolumeclaims") && i.name().equals("ledger")).findFirst().orElseThrow();
        assertThat(claimItem.action()).isEqualTo(RestorePreview.Action.CREATE);
        assertThat(claimItem.namespace()).isEqualTo("orders-copy");
        assertThat(claimItem.reason()).contains("dataSource", "VolumeSnapshot orders-copy/" + snapshotName, handle);
        assertThat(preview.items()).filteredOn(i -> i.groupResource().equals("persistentvolumes"))
                .allMatch(i -> i.action() == RestorePreview.Action.EXCLUDED);
        assertThat(otherClient.namespaces().withName("orders-copy").get()).as("a preview creates nothing").isNull();

        RestoreInfo restored = otherEngine.restore(plan).await(WAIT);

        assertThat(restored.phase()).as("errors %s", restored.errors()).isEqualTo(RestorePhase.COMPLETED);
        otherCsi.awaitBound("orders-copy", "ledger", WAIT);
        GenericKubernetesResource vs = otherClient.genericKubernetesResources(CsiServers.VOLUME_SNAPSHOTS).inNamespace("orders-copy")
                .withName(snapshotName).get();
        String contentName = (String) vs.get("spec", "source", "volumeSnapshotContentName");
        GenericKubernetesResource vsc = otherClient.genericKubernetesResources(CsiServers.VOLUME_SNAPSHOT_CONTENTS).withName(contentName).get();
        assertThat((Object) vsc.get("spec", "source", "snapshotHandle")).isEqualTo(handle);
        assertThat((Object) vsc.get("status", "readyToUse")).isEqualTo(true);
        assertThat(CsiHostPathDriver.digests(otherCsi.volumeFolder("orders-copy", "ledger"))).isEqualTo(written);
        // the source cluster's claim and volume are untouched
        assertThat(CsiHostPathDriver.digests(csi.volumeFolder("orders", "ledger"))).isEqualTo(written);
    }

    @Test
    void claimsPulledInThroughALabelSelectedPodAreSnapshotted() throws Exception {
        namespace("labelled");
        claimWithSample("labelled", "web-data", 31);
        claim("labelled", "unused");
        cluster.seed(Stream.of(new PodBuilder().withNewMetadata().withNamespace("labelled").withName("web")
                .addToLabels("app", "web").endMetadata().withNewSpec().addNewContainer().withName("web").withImage("nginx")
                .endContainer().addNewVolume().withName("data").withNewPersistentVolumeClaim().withClaimName("web-data")
                .endPersistentVolumeClaim().endVolume().endSpec().build()));

        Run run = backup(engine(UnaryOperator.identity()), b -> b.includedNamespaces("labelled").labelSelector(Map.of("app", "web")));

        assertThat(run.info().phase()).as(run.results()).isEqualTo(BackupPhase.COMPLETED);
        assertThat(run.archive()).containsKey("resources/pods/namespaces/labelled/web.json")
                .containsKey("resources/persistentvolumeclaims/namespaces/labelled/web-data.json")
                .doesNotContainKey("resources/persistentvolumeclaims/namespaces/labelled/unused.json");
        assertThat(run.info().volumeSnapshotsAttempted()).isEqualTo(1);
        assertThat(run.info().volumeSnapshotsCompleted()).isEqualTo(1);
        assertThat(snapshotsOf(run.name())).extracting(vs -> vs.get("spec", "source", "persistentVolumeClaimName"))
                .containsExactly("web-data");
        assertThat(records(run)).containsOnlyKeys("labelled/web-data");
    }

    @Test
    void withoutTheSnapshotCrdsTheBackupIsRefusedBeforeAnythingIsCreated() {
        try (RealCluster bare = RealCluster.builder().controllerManager(false).start();
             KubernetesClient bareClient = bare.client();
             DirectEngine engine = KBackup.direct(bareClient, options(UnaryOperator.identity()))) {
            BackupPlan plan = plan(b -> b);
            assertThatThrownBy(() -> engine.backup(plan)).isInstanceOf(InvalidPlanException.class)
                    .hasMessageContaining("does not serve snapshot.storage.k8s.io/v1")
                    .hasMessageContaining("volumesnapshots");
            assertThat(folder.resolve("backups/" + plan.name().orElseThrow())).doesNotExist();
        }
    }

    @Test
    void aDriverWithoutSnapshotClassRefusesTheBackupOrUnderTheSkipPolicySkipsTheVolume() throws Exception {
        namespace("noclass");
        claim("noclass", "orphan");
        var classes = client.genericKubernetesResources(CsiServers.VOLUME_SNAPSHOT_CLASSES);
        classes.withName(CsiServers.RETAIN_CLASS).delete();
        classes.withName(CsiServers.DELETE_CLASS).delete();
        await("snapshot classes gone", () -> classes.list().getItems().isEmpty());
        try {
            BackupPlan plan = plan(b -> b.includedNamespaces("noclass"));
            assertThatThrownBy(() -> engine(UnaryOperator.identity()).backup(plan)).isInstanceOf(InvalidPlanException.class)
                    .hasMessageContaining("noclass/orphan").hasMessageContaining(DRIVER);
            assertThat(snapshotsOf(plan.name().orElseThrow())).isEmpty();

            Run run = backup(engine(o -> o.snapshotMissingClassPolicy(DirectOptions.MissingSnapshotClassPolicy.SKIP)),
                    b -> b.includedNamespaces("noclass"));
            assertThat(run.info().phase()).isEqualTo(BackupPhase.COMPLETED);
            assertThat(run.info().volumeSnapshotsAttempted()).isZero();
            assertThat(run.results()).contains("Volume noclass/orphan", "NOT backed up", "no VolumeSnapshotClass exists for driver '"
                    + DRIVER + "'");
            assertThat(records(run).get("noclass/orphan").path("skipped").asBoolean()).isTrue();
            assertThat(snapshotsOf(run.name())).isEmpty();
        } finally {
            CsiServers.createSnapshotClass(client, CsiServers.RETAIN_CLASS, DRIVER, "Retain", true);
            CsiServers.createSnapshotClass(client, CsiServers.DELETE_CLASS, DRIVER, "Delete", false);
        }
    }

    @Test
    void aClassThatDeletesItsSnapshotsIsAWarningOrInStrictModeARefusal() throws Exception {
        namespace("delpol");
        csi.createClaim("delpol", "d", "1Gi", Map.of(), Map.of(VeleroKeys.CSI_SNAPSHOT_CLASS, CsiServers.DELETE_CLASS));

        BackupPlan strictPlan = plan(b -> b.includedNamespaces("delpol"));
        assertThatThrownBy(() -> engine(o -> o.strictSnapshotDeletionPolicy(true)).backup(strictPlan))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining(CsiServers.DELETE_CLASS).hasMessageContaining("not Retain");
        assertThat(snapshotsOf(strictPlan.name().orElseThrow())).isEmpty();

        Run run = backup(engine(UnaryOperator.identity()), b -> b.includedNamespaces("delpol"));
        assertThat(run.info().phase()).as(run.results()).isEqualTo(BackupPhase.COMPLETED);
        assertThat(run.info().warnings()).isPositive();
        assertThat(run.results()).contains(CsiServers.DELETE_CLASS, "deletionPolicy 'Delete'");
        assertThat(run.info().volumeSnapshotsCompleted()).isEqualTo(1);
        String contentName = (String) snapshotsOf(run.name()).get(0).get("status", "boundVolumeSnapshotContentName");
        assertThat((Object) content(contentName).get("spec", "deletionPolicy")).isEqualTo("Delete");
    }

    @Test
    void aSnapshotTheDriverFailsMakesTheBackupPartiallyFailedNamingTheVolume() throws Exception {
        namespace("broken");
        claimWithSample("broken", "ok", 41);
        claim("broken", "bad");
        // the driver loses the volume's data: its CreateSnapshot fails for that volume
        ServerProcess.deleteTree(csi.volumeFolder("broken", "bad"));

        Run run = backup(engine(UnaryOperator.identity()), b -> b.includedNamespaces("broken"));

        assertThat(run.info().phase()).as(run.results()).isEqualTo(BackupPhase.PARTIALLY_FAILED);
        assertThat(run.info().volumeSnapshotsAttempted()).isEqualTo(2);
        assertThat(run.info().volumeSnapshotsCompleted()).isEqualTo(1);
        assertThat(run.info().errors()).isEqualTo(1);
        // the controller words its part differently depending on which of its loops saw the error
        // first; the driver's own answer is in either
        assertThat(run.results()).contains("Volume broken/bad", "snapshot failed", "its data is not in the backup",
                "failed to take snapshot of the volume", "rpc error: code = Internal");
        assertThat(records(run).get("broken/bad").path("result").asText()).isEqualTo("failed");
        assertThat(records(run).get("broken/ok").path("result").asText()).isEqualTo("succeeded");
        assertThat(run.archive().keySet())
                .anyMatch(k -> k.startsWith("resources/volumesnapshots.snapshot.storage.k8s.io/namespaces/broken/velero-ok-"))
                .noneMatch(k -> k.startsWith("resources/volumesnapshots.snapshot.storage.k8s.io/namespaces/broken/velero-bad-"));
    }

    @Test
    void aSnapshotNotReadyInTimeMakesTheBackupPartiallyFailed() throws Exception {
        namespace("slow");
        claim("slow", "stuck");
        csi.stopSnapshotter(); // the driver's snapshotter sidecar is down: the VolumeSnapshot waits
        Run run;
        try {
            run = backup(engine(o -> o.snapshotReadyTimeout(Duration.ofSeconds(5))), b -> b.includedNamespaces("slow"));
        } finally {
            csi.startSnapshotter();
        }
        assertThat(run.info().phase()).as(run.results()).isEqualTo(BackupPhase.PARTIALLY_FAILED);
        assertThat(run.results()).contains("Volume slow/stuck", "was not ready within PT5S");
        assertThat(records(run).get("slow/stuck").path("result").asText()).isEqualTo("failed");
        assertThat(run.info().volumeSnapshotsCompleted()).isZero();
    }

    @Test
    void deletingTheBackupRemovesItsSnapshotsTheirContentsAndTheDriversSnapshotButNoOtherBackups() throws Exception {
        namespace("gone");
        claimWithSample("gone", "g", 51);
        DirectEngine engine = engine(UnaryOperator.identity());
        Run keep = backup(engine, b -> b.includedNamespaces("gone"));
        Run gone = backup(engine, b -> b.includedNamespaces("gone"));
        assertThat(gone.info().phase()).as(gone.results()).isEqualTo(BackupPhase.COMPLETED);
        String contentName = (String) snapshotsOf(gone.name()).get(0).get("status", "boundVolumeSnapshotContentName");
        String handle = (String) content(contentName).get("status", "snapshotHandle");
        String keptHandle = records(keep).get("gone/g").path("csiSnapshotInfo").path("snapshotHandle").asText();
        assertThat(driver.snapshotFile(handle)).isRegularFile();

        engine.deleteBackup(location, gone.name());

        // the real controllers finish the deletion (finalizers, the driver's DeleteSnapshot) a moment later
        await("VolumeSnapshot, content " + contentName + " and the driver's snapshot " + handle + " deleted",
                () -> snapshotsOf(gone.name()).isEmpty() && content(contentName) == null && !Files.exists(driver.snapshotFile(handle)));
        assertThat(snapshotsOf(keep.name())).hasSize(1);
        assertThat(driver.snapshotFile(keptHandle)).isRegularFile();
        assertThat(engine.listBackups(location)).extracting(BackupInfo::name).contains(keep.name()).doesNotContain(gone.name());
    }

    @Test
    void anExpiredBackupSweptByTheSchedulerLeavesNoSnapshotBehind() throws Exception {
        namespace("expiring");
        claimWithSample("expiring", "e", 61);
        DirectEngine engine = engine(UnaryOperator.identity());
        String name = "nightly-disks-" + DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC)
                .format(java.time.Instant.now());
        BackupInfo info = engine.backup(BackupPlan.builder().name(name).location(location).includeAllDisks(true)
                .includedNamespaces("expiring").expiry(Duration.ofMinutes(5)).build()).await(WAIT);
        assertThat(info.phase()).isEqualTo(BackupPhase.COMPLETED);
        String contentName = (String) snapshotsOf(name).get(0).get("status", "boundVolumeSnapshotContentName");
        String handle = (String) content(contentName).get("status", "snapshotHandle");

        List<SchedulerEvent> events = new CopyOnWriteArrayList<>();
        try (BackupScheduler scheduler = BackupScheduler.builder().backupClient(engine)
                .clock(Clock.offset(Clock.systemUTC(), Duration.ofHours(1))).listener(events::add).build()) {
            scheduler.add(BackupPlan.builder().prefix("nightly-disks").location(location).includeAllDisks(true)
                    .schedule(Schedule.never()).expiry(Duration.ofMinutes(5)).build());
            scheduler.sweepNow();
        }

        assertThat(events).anyMatch(e -> e.type() == SchedulerEvent.Type.DELETED && name.equals(e.backup()));
        assertThat(engine.listBackups(location)).extracting(BackupInfo::name).doesNotContain(name);
        await("VolumeSnapshot, content " + contentName + " and the driver's snapshot " + handle + " deleted",
                () -> snapshotsOf(name).isEmpty() && content(contentName) == null && !Files.exists(driver.snapshotFile(handle)));
    }

    // ---------------------------------------------------------------- helpers

    private DirectOptions options(UnaryOperator<DirectOptions.Builder> options) {
        return options.apply(DirectOptions.builder().retryBaseDelay(Duration.ofMillis(10)).snapshotReadyTimeout(Duration.ofMinutes(2)))
                .build();
    }

    private DirectEngine engine(UnaryOperator<DirectOptions.Builder> options) {
        DirectEngine e = KBackup.direct(client, options(options));
        closeLater.add(e);
        return e;
    }

    private BackupPlan plan(UnaryOperator<BackupPlan.Builder> plan) {
        return plan.apply(BackupPlan.builder().name("disks-" + (++runs)).location(location).includeAllDisks(true)).build();
    }

    private Run backup(DirectEngine engine, UnaryOperator<BackupPlan.Builder> plan) throws Exception {
        return DirectSnapshotBackupIT.backUp(engine, plan(plan), folder, WAIT);
    }

    private void namespace(String name) {
        cluster.seed(Stream.<HasMetadata>of(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()));
    }

    private String volumeHandle(String namespace, String claim) {
        String pv = client.persistentVolumeClaims().inNamespace(namespace).withName(claim).get().getSpec().getVolumeName();
        return client.persistentVolumes().withName(pv).get().getSpec().getCsi().getVolumeHandle();
    }

    private List<GenericKubernetesResource> snapshotsOf(String backup) {
        return client.genericKubernetesResources(CsiServers.VOLUME_SNAPSHOTS).inAnyNamespace()
                .withLabel(VeleroKeys.BACKUP_NAME, backup).list().getItems();
    }

    /** A 1Gi claim {@code ns/name} of the driver's storage class, without labels or annotations. */
    private void claim(String ns, String name) {
        csi.createClaim(ns, name, "1Gi", Map.of(), Map.of());
    }

    /** {@link #claim} with {@link CsiHostPathDriver#writeSample sample data} (from {@code seed}) in its volume; returns its digests. */
    private Map<String, String> claimWithSample(String ns, String name, long seed) {
        claim(ns, name);
        return CsiHostPathDriver.writeSample(csi.volumeFolder(ns, name), seed);
    }

    private GenericKubernetesResource content(String name) {
        return client.genericKubernetesResources(CsiServers.VOLUME_SNAPSHOT_CONTENTS).withName(name).get();
    }

    private void await(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT + ": " + what + "\n" + csi.tails(30));
            }
            Thread.sleep(200);
        }
    }
}
