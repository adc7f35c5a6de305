package io.kbackup.storage.minio;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupHandle;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPlan;
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
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A workspace of two real clusters, each with its own real Velero server (v1.18, AWS plugin) running
 * side by side on this machine, whose members are {@code KBackup.velero(...)} clients: the group
 * backup becomes a Velero Backup on each cluster, carried out by that cluster's Velero into the
 * member's folder of the shared MinIO location, and the group restore a Velero Restore on each.
 */
class ClusterGroupTwoVelerosRealVeleroIT {
    private static final String BUCKET = ClusterGroupRealVeleroIT.BUCKET;
    private static final Duration WAIT = Duration.ofMinutes(3);
    private static final List<String> MEMBERS = List.of("eu", "us");

    @Test
    void eachMemberOfTheGroupHandsItsPartToItsOwnClustersVelero() throws Exception {
        try (MinioServer minio = MinioServer.start(); RealCluster eu = RealCluster.start(); RealCluster us = RealCluster.start();
                KubernetesClient ceu = eu.client(); KubernetesClient cus = us.client()) {
            minio.createBucket(BUCKET);
            Map<String, KubernetesClient> clients = Map.of("eu", ceu, "us", cus);
            for (String member : MEMBERS) {
                ClusterGroupRealVeleroIT.seedShop(clients.get(member), "from-" + member);
            }
            BackupLocation shared = ClusterGroupRealVeleroIT.workspace(minio);
            VeleroOptions options = ClusterGroupRealVeleroIT.veleroOptions();
            try (VeleroServer veleroEu = VeleroServer.start(eu, minio, BUCKET, "velero-eu");
                    VeleroServer veleroUs = VeleroServer.start(us, minio, BUCKET, "velero-us");
                    ClusterGroup group = ClusterGroup.builder().name("shop").healthTimeout(Duration.ofSeconds(5))
                            .member("eu", KBackup.velero(ceu, options)).member("us", KBackup.velero(cus, options))
                            .closeMembers(true).build()) {
                Map<String, VeleroServer> veleros = Map.of("eu", veleroEu, "us", veleroUs);
                GroupRun<BackupHandle, BackupInfo> backup = group.backup(BackupPlan.builder().prefix("ws").location(shared)
                        .includedNamespaces("shop").build());
                GroupRunInfo info = backup.await(WAIT);
                String run = backup.name();

                try (StorageProvider bucket = StorageProviders.discover().open(shared)) {
                    for (String member : MEMBERS) {
                        assertThat(info.members().get(member).phase()).as("%s; log %s", info, veleros.get(member).log())
                                .isEqualTo(MemberPhase.COMPLETED);
                        assertThat(info.members().get(member).itemsDone()).isPositive();
                        GenericKubernetesResource veleroBackup = clients.get(member).genericKubernetesResources(VeleroServer.BACKUP)
                                .inNamespace(VeleroServer.NAMESPACE).withName(run).get();
                        assertThat(VeleroServer.phase(veleroBackup)).as("%s's own Velero Backup", member).isEqualTo("Completed");
                        assertThat(veleroBackup.getMetadata().getLabels()).containsEntry(ClusterGroup.GROUP_LABEL, "shop");
                        String folder = "ws/" + member + "/backups/" + run + "/";
                        assertThat(bucket.head(folder + "velero-backup.json")).as("%s's Velero metadata", member).isPresent();
                        assertThat(bucket.head(folder + run + ".tar.gz")).as("%s's tarball", member).isPresent();
                    }
                }
                try (ClusterGroup later = ClusterGroup.builder().name("shop").build()) {
                    GroupRunInfo read = later.describeGroupBackup(shared, run);
                    assertThat(read.members()).containsOnlyKeys(MEMBERS);
                    assertThat(read.members().values()).allSatisfy(m -> assertThat(m.phase()).isEqualTo(MemberPhase.COMPLETED));
                }

                for (KubernetesClient k : clients.values()) {
                    k.configMaps().inNamespace("shop").withName("cm").delete();
                    ClusterGroupRealVeleroIT.awaitGone(k);
                }
                GroupRunInfo restored = group.restore(RestorePlan.builder().location(shared).backupName(run).build()).await(WAIT);
                for (String member : MEMBERS) {
                    KubernetesClient k = clients.get(member);
                    assertThat(restored.members().get(member).phase()).as("%s; log %s", restored, veleros.get(member).log())
                            .isEqualTo(MemberPhase.COMPLETED);
                    assertThat(k.configMaps().inNamespace("shop").withName("cm").get().getData()).containsEntry("k", "from-" + member);
                    assertThat(k.genericKubernetesResources(VeleroServer.RESTORE).inNamespace(VeleroServer.NAMESPACE).list().getItems())
                            .as("%s's own Velero Restore", member).hasSize(1)
                            .allSatisfy(r -> assertThat(VeleroServer.phase(r)).isEqualTo("Completed"));
                }
            }
        }
    }
}
