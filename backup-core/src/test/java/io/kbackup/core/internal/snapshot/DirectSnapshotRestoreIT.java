package io.kbackup.core.internal.snapshot;

import static io.kbackup.core.internal.snapshot.SnapshotFixture.claim;
import static io.kbackup.core.internal.snapshot.SnapshotFixture.configMap;
import static io.kbackup.core.internal.snapshot.SnapshotFixture.csiVolume;
import static io.kbackup.core.internal.snapshot.SnapshotFixture.hostPathVolume;
import static io.kbackup.core.internal.snapshot.SnapshotFixture.namespace;
import static io.kbackup.core.internal.snapshot.SnapshotFixture.snapshotClass;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.RestoreInfo;
import io.kbackup.RestorePhase;
import io.kbackup.RestorePlan;
import io.kbackup.core.KBackup;
import io.kbackup.core.direct.DirectEngine;
import io.kbackup.core.internal.layout.VeleroKeys;
import io.kbackup.testkit.cluster.EmbeddedCluster;
import io.kbackup.testkit.cluster.StandInSnapshotController;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restores of a backup that includes all disks: into the same cluster (the backup's own
 * VolumeSnapshot is the claim's data source) and into another cluster with a namespace mapping
 * (a statically provisioned VolumeSnapshotContent of the recorded handle).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DirectSnapshotRestoreIT {
    private static final String BACKUP = "with-disks";

    @TempDir
    static Path folder;
    EmbeddedCluster source;
    EmbeddedCluster target;
    KubernetesClient sourceClient;
    KubernetesClient targetClient;
    StandInSnapshotController controller;
    DirectEngine sourceEngine;
    DirectEngine targetEngine;
    BackupLocation location;
    String snapshotName;
    String backedUpContent;

    @BeforeAll
    void backUp() {
        source = EmbeddedCluster.start();
        target = EmbeddedCluster.start();
        sourceClient = source.client();
        targetClient = target.client();
        location = BackupLocation.localFolder(folder).build();
        source.seed(SnapshotFixture.list(
                snapshotClass("disks", "a.csi.example.com", "Retain", "default"),
                namespace("app"), configMap("app", "settings"),
                claim("app", "data", Map.of()), csiVolume("app", "data", "a.csi.example.com"),
                claim("app", "scratch", Map.of()), hostPathVolume("app", "scratch")).stream());
        controller = new StandInSnapshotController(sourceClient);
        sourceEngine = KBackup.direct(sourceClient);
        targetEngine = KBackup.direct(targetClient);
        BackupInfo info = sourceEngine.backup(BackupPlan.builder().name(BACKUP).location(location).includeAllDisks(true)
                .includedNamespaces("app").build()).await(Duration.ofSeconds(60));
        assertThat(info.phase()).isEqualTo(BackupPhase.COMPLETED);
        assertThat(info.volumeSnapshotsCompleted()).isEqualTo(1);
        List<GenericKubernetesResource> snapshots = SnapshotApi.snapshots(sourceClient).inNamespace("app").list().getItems();
        assertThat(snapshots).hasSize(1);
        snapshotName = snapshots.get(0).getMetadata().getName();
        backedUpContent = (String) snapshots.get(0).get("status", "boundVolumeSnapshotContentName");
    }

    @AfterAll
    void stop() {
        controller.close();
        sourceEngine.close();
        targetEngine.close();
        sourceClient.close();
        targetClient.close();
        source.close();
        target.close();
    }

    @Test
    void inTheSameClusterTheClaimComesBackFromTheBackupsOwnSnapshot() {
        sourceClient.persistentVolumeClaims().inNamespace("app").withName("data").delete();
        int contentsBefore = SnapshotApi.contents(sourceClient).list().getItems().size();

        RestoreInfo info = sourceEngine.restore(RestorePlan.builder().location(location).backupName(BACKUP).includedNamespaces("app")
                .build()).await(Duration.ofSeconds(60));

        assertThat(info.phase()).as("errors %s", info.errors()).isEqualTo(RestorePhase.COMPLETED);
        PersistentVolumeClaim pvc = sourceClient.persistentVolumeClaims().inNamespace("app").withName("data").get();
        assertThat(pvc.getSpec().getVolumeName()).isNull();
        assertThat(pvc.getSpec().getDataSource().getApiGroup()).isEqualTo("snapshot.storage.k8s.io");
        assertThat(pvc.getSpec().getDataSource().getKind()).isEqualTo("VolumeSnapshot");
        assertThat(pvc.getSpec().getDataSource().getName()).isEqualTo(snapshotName);
        assertThat(SnapshotApi.contents(sourceClient).list().getItems()).hasSize(contentsBefore);
        assertThat(SnapshotApi.snapshots(sourceClient).inNamespace("app").list().getItems()).hasSize(1);
    }

    @Test
    void inAnotherClusterAStaticContentOfTheRecordedHandleIsCreatedInTheMappedNamespace() {
        RestoreInfo info = targetEngine.restore(RestorePlan.builder().location(location).backupName(BACKUP)
                .namespaceMapping(Map.of("app", "copy")).build()).await(Duration.ofSeconds(60));

        assertThat(info.phase()).as("errors %s", info.errors()).isEqualTo(RestorePhase.COMPLETED);
        PersistentVolumeClaim pvc = targetClient.persistentVolumeClaims().inNamespace("copy").withName("data").get();
        assertThat(pvc.getSpec().getVolumeName()).isNull();
        assertThat(pvc.getSpec().getDataSource().getName()).isEqualTo(snapshotName);
        GenericKubernetesResource vs = SnapshotApi.snapshots(targetClient).inNamespace("copy").withName(snapshotName).get();
        assertThat(vs).isNotNull();
        String contentName = (String) vs.get("spec", "source", "volumeSnapshotContentName");
        assertThat(vs.getMetadata().getLabels()).containsKey(VeleroKeys.RESTORE_NAME);
        GenericKubernetesResource vsc = SnapshotApi.contents(targetClient).withName(contentName).get();
        assertThat((Object) vsc.get("spec", "source", "snapshotHandle")).isEqualTo("handle-app-data");
        assertThat((Object) vsc.get("spec", "driver")).isEqualTo("a.csi.example.com");
        assertThat((Object) vsc.get("spec", "deletionPolicy")).isEqualTo("Retain");
        assertThat((Object) vsc.get("spec", "volumeSnapshotRef", "namespace")).isEqualTo("copy");
        assertThat((Object) vsc.get("spec", "volumeSnapshotRef", "name")).isEqualTo(snapshotName);
        // the backup's own snapshot objects and the volume's PV are not restored as they were
        assertThat(SnapshotApi.contents(targetClient).withName(backedUpContent).get()).isNull();
        assertThat(SnapshotApi.contents(targetClient).list().getItems()).hasSize(1);
        assertThat(targetClient.persistentVolumes().withName("pv-app-data").get()).isNull();
        // the claim without snapshot comes back empty, as before
        PersistentVolumeClaim scratch = targetClient.persistentVolumeClaims().inNamespace("copy").withName("scratch").get();
        assertThat(scratch.getSpec().getDataSource()).isNull();
        assertThat(scratch.getSpec().getVolumeName()).isNull();
        assertThat(targetClient.configMaps().inNamespace("copy").withName("settings").get()).isNotNull();
    }
}
