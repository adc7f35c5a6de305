package io.kbackup.storage.minio;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupHandle;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPlan;
import io.kbackup.Credentials;
import io.kbackup.RestorePlan;
import io.kbackup.core.KBackup;
import io.kbackup.core.fleet.ClusterGroup;
import io.kbackup.core.fleet.GroupRun;
import io.kbackup.core.fleet.GroupRunInfo;
import io.kbackup.core.fleet.MemberPhase;
import io.kbackup.core.velero.VeleroOptions;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviders;
import io.kbackup.testkit.cluster.RealCluster;
import io.kbackup.testkit.servers.MinioServer;
import io.kbackup.testkit.servers.VeleroServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A workspace whose members hand their work to different engines: {@code velero-a} is a VeleroEngine on a real
 * cluster with the real Velero server (v1.18, AWS plugin), {@code direct-b} a DirectEngine on a second real cluster,
 * {@code velero-c} a VeleroEngine on a third real cluster where Velero is not installed. The group backup and restore
 * go through Velero's own Backup and Restore for {@code velero-a}, into its folder of the shared MinIO location,
 * where the group's records sit next to Velero's files; {@code velero-c} fails saying Velero is missing, and the
 * others go on. ({@link ClusterGroupTwoVelerosRealVeleroIT} has a Velero server on each of two members.)
 */
class ClusterGroupRealVeleroIT {
    static final String BUCKET = "workspace";
    private static final Duration WAIT = Duration.ofMinutes(3);

    @Test
    void aGroupWithAVeleroMemberBacksUpAndRestoresThroughTheRealVelero() throws Exception {
        try (MinioServer minio = MinioServer.start(); RealCluster a = RealCluster.start(); RealCluster b = RealCluster.start();
                RealCluster c = RealCluster.start(); KubernetesClient ca = a.client(); KubernetesClient cb = b.client();
                KubernetesClient cc = c.client()) {
            minio.createBucket(BUCKET);
            List<KubernetesClient> seeded = List.of(ca, cb, cc);
            for (int i = 0; i < seeded.size(); i++) {
                seedShop(seeded.get(i), "member-" + i);
            }
            BackupLocation shared = workspace(minio);
            VeleroOptions options = veleroOptions();
            try (VeleroServer velero = VeleroServer.start(a, minio, BUCKET, "velero-default");
                    ClusterGroup group = ClusterGroup.builder().name("shop").healthTimeout(Duration.ofSeconds(5))
                            .member("velero-a", KBackup.velero(ca, options)).member("direct-b", KBackup.direct(cb))
                            .member("velero-c", KBackup.velero(cc, options)).closeMembers(true).build()) {
                GroupRun<BackupHandle, BackupInfo> backup = group.backup(BackupPlan.builder().prefix("ws").location(shared)
                        .includedNamespaces("shop").build());
                GroupRunInfo info = backup.await(WAIT);
                String run = backup.name();

                assertThat(info.members().get("velero-a").phase()).as("%s; log %s", info, velero.log())
                        .isEqualTo(MemberPhase.COMPLETED);
                assertThat(info.members().get("direct-b").phase()).as("%s", info).isEqualTo(MemberPhase.COMPLETED);
                assertThat(info.members().get("velero-c").phase()).as("%s", info).isEqualTo(MemberPhase.FAILED);
                assertThat(info.members().get("velero-c").message()).contains("Velero is not installed");
                GenericKubernetesResource veleroBackup = ca.genericKubernetesResources(VeleroServer.BACKUP)
                        .inNamespace(VeleroServer.NAMESPACE).withName(run).get();
                assertThat(VeleroServer.phase(veleroBackup)).as("Velero's own Backup of the run").isEqualTo("Completed");
                assertThat(veleroBackup.getMetadata().getLabels()).containsEntry(ClusterGroup.GROUP_LABEL, "shop");
                assertThat(info.members().get("velero-a").itemsDone()).isPositive();
                try (StorageProvider bucket = StorageProviders.discover().open(shared)) {
                    assertThat(bucket.head("ws/velero-a/backups/" + run + "/velero-backup.json")).as("Velero's metadata")
                            .isPresent();
                    assertThat(bucket.head("ws/velero-a/backups/" + run + "/" + run + ".tar.gz")).isPresent();
                }
                assertThat(velero.cli("backup", "describe", run)).contains("Completed");

                // read back by another host
                try (ClusterGroup later = ClusterGroup.builder().name("shop").build()) {
                    GroupRunInfo read = later.describeGroupBackup(shared, run);
                    assertThat(read.members().get("velero-a").phase()).isEqualTo(MemberPhase.COMPLETED);
                    assertThat(read.members().get("velero-c").phase()).isEqualTo(MemberPhase.FAILED);
                }

                ca.configMaps().inNamespace("shop").withName("cm").delete();
                cb.configMaps().inNamespace("shop").withName("cm").delete();
                awaitGone(ca);
                awaitGone(cb);
                GroupRunInfo restored = group.restore(RestorePlan.builder().location(shared).backupName(run).build())
                        .await(WAIT);
                assertThat(restored.members().get("velero-a").phase()).as("%s; log %s", restored, velero.log())
                        .isEqualTo(MemberPhase.COMPLETED);
                assertThat(restored.members().get("direct-b").phase()).as("%s", restored).isEqualTo(MemberPhase.COMPLETED);
                assertThat(ca.configMaps().inNamespace("shop").withName("cm").get().getData()).containsEntry("k", "member-0");
                assertThat(cb.configMaps().inNamespace("shop").withName("cm").get().getData()).containsEntry("k", "member-1");
                assertThat(ca.genericKubernetesResources(VeleroServer.RESTORE).inNamespace(VeleroServer.NAMESPACE).list()
                        .getItems()).as("Velero's own Restore").hasSize(1)
                        .allSatisfy(r -> assertThat(VeleroServer.phase(r)).isEqualTo("Completed"));
            }
        }
    }

    /** Namespace {@code shop} with ConfigMap {@code cm} holding {@code k: value}. */
    static void seedShop(KubernetesClient k, String value) {
        k.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build()).create();
        k.configMaps().inNamespace("shop").resource(new ConfigMapBuilder().withNewMetadata().withName("cm").endMetadata()
                .addToData("k", value).build()).create();
    }

    /** The workspace's shared location: prefix {@code ws} of bucket {@value #BUCKET}. */
    static BackupLocation workspace(MinioServer minio) {
        return BackupLocation.minio(minio.endpoint(), BUCKET).name("workspace").prefix("ws")
                .credentials(Credentials.awsStatic(minio.rootUser(), minio.rootPassword())).build();
    }

    /** VeleroEngine options for the test kit's Velero namespace, giving up after 30 s without a Velero server. */
    static VeleroOptions veleroOptions() {
        return VeleroOptions.builder().namespace(VeleroServer.NAMESPACE).pickupTimeout(Duration.ofSeconds(30)).build();
    }

    /** Waits (at most 30 s) until ConfigMap {@code shop/cm} is gone. */
    static void awaitGone(KubernetesClient k) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (k.configMaps().inNamespace("shop").withName("cm").get() != null && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }
}
