package io.kbackup.core.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupHandle;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPlan;
import io.kbackup.RestorePlan;
import io.kbackup.core.KBackup;
import io.kbackup.testkit.cluster.EmbeddedCluster;
import io.kbackup.testkit.cluster.RealCluster;
import io.kbackup.testkit.cluster.TestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A workspace of two real kube-apiservers and an embedded cluster, end to end: health checks on
 * the real {@code /readyz}, a group backup, its records read back by a new host, a group restore.
 * A fourth member whose API server is gone is skipped as unreachable.
 */
class ClusterGroupRealIT {
    @TempDir
    Path folder;

    @Test
    void aWorkspaceOfRealAndEmbeddedClustersBacksUpAndRestoresEndToEnd() {
        TestCluster dead = EmbeddedCluster.start();
        try (TestCluster r1 = RealCluster.start(); TestCluster r2 = RealCluster.start(); TestCluster e1 = EmbeddedCluster.start()) {
            KubernetesClient c1 = r1.client();
            KubernetesClient c2 = r2.client();
            KubernetesClient c3 = e1.client();
            KubernetesClient c4 = dead.client();
            List<KubernetesClient> live = List.of(c1, c2, c3);
            for (int i = 0; i < live.size(); i++) {
                KubernetesClient c = live.get(i);
                c.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build()).create();
                c.configMaps().inNamespace("shop").resource(new ConfigMapBuilder().withNewMetadata().withName("cm").endMetadata()
                        .addToData("k", "member-" + i).build()).create();
            }
            dead.close(); // its API server is gone
            BackupLocation shared = BackupLocation.localFolder(folder).prefix("ws").build();
            String run;
            try (ClusterGroup g = ClusterGroup.builder().name("shop").healthTimeout(Duration.ofSeconds(3))
                    .member("real-1", KBackup.direct(c1)).member("real-2", KBackup.direct(c2))
                    .member("embedded-1", KBackup.direct(c3)).member("gone-1", KBackup.direct(c4)).closeMembers(true).build()) {
                GroupRun<BackupHandle, BackupInfo> backup = g.backup(BackupPlan.builder().prefix("ws").location(shared)
                        .includedNamespaces("shop").build());
                GroupRunInfo info = backup.await(Duration.ofMinutes(3));
                run = backup.name();
                assertThat(info.count(MemberPhase.COMPLETED)).isEqualTo(3);
                assertThat(info.members().get("gone-1").skipReason()).isEqualTo(SkipReason.UNREACHABLE);
                assertThat(backup.progress().itemsDone()).isGreaterThanOrEqualTo(6);

                live.forEach(c -> c.configMaps().inNamespace("shop").withName("cm").delete());
                await(() -> live.stream().allMatch(c -> c.configMaps().inNamespace("shop").withName("cm").get() == null));
                GroupRunInfo restored = g.restore(RestorePlan.builder().location(shared).backupName(run).build())
                        .await(Duration.ofMinutes(3));
                assertThat(restored.count(MemberPhase.COMPLETED)).isEqualTo(3);
                for (int i = 0; i < live.size(); i++) {
                    assertThat(live.get(i).configMaps().inNamespace("shop").withName("cm").get().getData()).containsEntry("k", "member-" + i);
                }
            }
            try (ClusterGroup restarted = ClusterGroup.builder().name("shop").build()) {
                GroupRunInfo read = restarted.describeGroupBackup(shared, run);
                assertThat(read.members()).containsOnlyKeys("real-1", "real-2", "embedded-1", "gone-1");
                assertThat(read.phase()).isEqualTo(GroupPhase.PARTIALLY_FAILED);
                assertThat(read.members().get("gone-1").skipReason()).isEqualTo(SkipReason.UNREACHABLE);
            }
            live.forEach(KubernetesClient::close);
            c4.close();
        }
    }

    private static void await(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
