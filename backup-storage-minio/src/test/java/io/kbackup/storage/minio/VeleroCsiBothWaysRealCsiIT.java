package io.kbackup.storage.minio;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.kbackup.BackupInfo;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.RestoreInfo;
import io.kbackup.RestorePhase;
import io.kbackup.RestorePlan;
import io.kbackup.core.KBackup;
import io.kbackup.core.direct.DirectEngine;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviders;
import io.kbackup.testkit.cluster.RealCluster;
import io.kbackup.testkit.servers.CsiHostPathDriver;
import io.kbackup.testkit.servers.CsiServers;
import io.kbackup.testkit.servers.VeleroServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * CSI snapshots between kbackup and the real Velero ({@code velero server --features=EnableCSI}),
 * proven by bytes: two real clusters with the real snapshot-controller, csi-snapshotter and
 * csi-provisioner ({@link CsiServers}) share one hostpath CSI driver (storage both clusters reach)
 * and one MinIO bucket. A Velero backup with a CSI snapshot of cluster A is restored by kbackup
 * into cluster B; a kbackup backup with all disks of cluster A is restored by Velero into cluster B.
 * Either way the restored claim's new volume folder holds exactly the bytes written into the
 * original one.
 */
@Order(Integer.MAX_VALUE - 1) // a long class: the next one the first thread takes (see the pom)
class VeleroCsiBothWaysRealCsiIT extends TwoClustersOneBucket {
    private static final String BUCKET = "velero-csi";
    private static final String PREFIX = "csi";
    private static final Duration WAIT = Duration.ofMinutes(4);

    private static CsiHostPathDriver driver;
    private static CsiServers csiA;
    private static CsiServers csiB;

    @BeforeAll
    static void start() {
        startShared(BUCKET, PREFIX);
        driver = closeLater(CsiHostPathDriver.start());
        csiA = closeLater(CsiServers.start(clusterA, driver));
        csiB = closeLater(CsiServers.start(clusterB, driver));
    }

    @Test
    void aVeleroBackupWithACsiSnapshotIsRestoredByKbackupWithTheSameBytes() throws Exception {
        namespace(clusterA, "vshop");
        csiA.createClaim("vshop", "data", "1Gi", Map.of(), Map.of());
        Map<String, String> written = CsiHostPathDriver.writeSample(csiA.volumeFolder("vshop", "data"), 71);

        try (VeleroServer velero = VeleroServer.start(clusterA, minio, BUCKET, PREFIX, "--features=EnableCSI")) {
            GenericKubernetesResource backup = velero.backup("velero-csi-shop", Map.of("includedNamespaces", List.of("vshop"),
                    "snapshotVolumes", true, "csiSnapshotTimeout", "2m"), WAIT);
            assertThat(VeleroServer.phase(backup)).as("Velero's backup %s; log %s\n%s", backup, velero.log(), velero.tail(40))
                    .isEqualTo("Completed");
            assertThat(((Map<?, ?>) backup.getAdditionalProperties().get("status")).get("csiVolumeSnapshotsCompleted"))
                    .isEqualTo(1);
        }

        // the same namespace backed up by kbackup: the same files in the backup folder (ours has its manifest and name claim more)
        try (DirectEngine direct = KBackup.direct(a)) {
            assertThat(direct.backup(BackupPlan.builder().name("kbackup-csi-vshop").location(location).includedNamespaces("vshop")
                    .includeAllDisks(true).build()).await(WAIT).phase()).isEqualTo(BackupPhase.COMPLETED);
        }
        try (StorageProvider bucket = StorageProviders.discover().open(location)) {
            java.util.SortedSet<String> expected = files(bucket, "velero-csi-shop");
            expected.add("kbackup-manifest.json");
            expected.add("kbackup-claim.json"); // our writer's claim on the name, kept until the backup is deleted
            assertThat(files(bucket, "kbackup-csi-vshop")).as("the files of our backup folder, named as Velero's").isEqualTo(expected);
        }

        try (DirectEngine direct = KBackup.direct(b)) {
            BackupInfo info = direct.describeBackup(location, "velero-csi-shop");
            assertThat(info.volumeSnapshotsCompleted()).isEqualTo(1);
            RestoreInfo restored = direct.restore(RestorePlan.builder().location(location).backupName("velero-csi-shop")
                    .restoreName("kbackup-from-velero-csi").build()).await(WAIT);
            assertThat(restored.phase()).as("%s", restored).isEqualTo(RestorePhase.COMPLETED);
        }
        csiB.awaitBound("vshop", "data", WAIT);
        assertThat(b.persistentVolumeClaims().inNamespace("vshop").withName("data").get().getSpec().getDataSource().getKind())
                .isEqualTo("VolumeSnapshot");
        assertThat(csiB.volumeFolder("vshop", "data")).as("a new volume").isNotEqualTo(csiA.volumeFolder("vshop", "data"));
        assertThat(CsiHostPathDriver.digests(csiB.volumeFolder("vshop", "data"))).isEqualTo(written);
    }

    @Test
    void aKbackupBackupWithAllDisksIsRestoredByVeleroWithTheSameBytes() throws Exception {
        namespace(clusterA, "kshop");
        csiA.createClaim("kshop", "data", "1Gi", Map.of(), Map.of());
        Map<String, String> written = CsiHostPathDriver.writeSample(csiA.volumeFolder("kshop", "data"), 73);
        try (DirectEngine direct = KBackup.direct(a)) {
            BackupInfo ours = direct.backup(BackupPlan.builder().name("kbackup-csi-shop").location(location)
                    .includedNamespaces("kshop").includeAllDisks(true).build()).await(WAIT);
            assertThat(ours.phase()).isEqualTo(BackupPhase.COMPLETED);
            assertThat(ours.volumeSnapshotsCompleted()).isEqualTo(1);
        }

        try (VeleroServer velero = VeleroServer.start(clusterB, minio, BUCKET, PREFIX, "--features=EnableCSI")) {
            GenericKubernetesResource synced = velero.awaitBackup("kbackup-csi-shop", WAIT);
            assertThat(VeleroServer.phase(synced)).isEqualTo("Completed");
            GenericKubernetesResource restore = velero.restore("velero-from-kbackup-csi",
                    Map.of("backupName", "kbackup-csi-shop"), WAIT);
            assertThat(VeleroServer.phase(restore)).as("Velero's restore %s; log %s\n%s", restore, velero.log(), velero.tail(60))
                    .isEqualTo("Completed");
            csiB.awaitBound("kshop", "data", WAIT);
        }
        assertThat(b.persistentVolumeClaims().inNamespace("kshop").withName("data").get().getSpec().getDataSource().getKind())
                .isEqualTo("VolumeSnapshot");
        assertThat(csiB.volumeFolder("kshop", "data")).as("a new volume").isNotEqualTo(csiA.volumeFolder("kshop", "data"));
        assertThat(CsiHostPathDriver.digests(csiB.volumeFolder("kshop", "data"))).isEqualTo(written);
    }

    private static java.util.SortedSet<String> files(StorageProvider bucket, String backup) {
        String folder = PREFIX + "/backups/" + backup + "/";
        java.util.SortedSet<String> names = new java.util.TreeSet<>();
        bucket.listAll(folder).forEach(f -> names.add(f.key().substring(folder.length()).replace(backup, "<name>")));
        return names;
    }

    private static void namespace(RealCluster cluster, String name) {
        cluster.seed(Stream.<HasMetadata>of(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()));
    }
}
