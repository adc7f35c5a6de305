package io.kbackup.core.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupHandle;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.InvalidPlanException;
import io.kbackup.RestoreHandle;
import io.kbackup.RestoreInfo;
import io.kbackup.RestorePhase;
import io.kbackup.RestorePlan;
import io.kbackup.core.KBackup;
import io.kbackup.core.direct.DirectEngine;
import io.kbackup.testkit.cluster.EmbeddedCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterGroupIT extends TwoEmbeddedClusters {
    @TempDir
    Path folder;

    @BeforeAll
    static void seedBoth() {
        seed(euClient, "eu-shop");
        seed(usClient, "us-shop");
    }

    private static void seed(KubernetesClient c, String ns) {
        c.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        for (int i = 0; i < 3; i++) {
            c.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("cm-" + i).endMetadata()
                    .addToData("k", ns + i).build()).create();
        }
    }

    private ClusterGroup group() {
        return ClusterGroup.builder().member("eu-1", KBackup.direct(euClient)).member("us-1", KBackup.direct(usClient))
                .closeMembers(true).build();
    }

    @Test
    void backsUpAndRestoresEveryMemberUnderOneNameInItsOwnFolder() {
        BackupLocation shared = BackupLocation.localFolder(folder).prefix("fleet").build();
        try (ClusterGroup g = group()) {
            GroupRun<BackupHandle, BackupInfo> run = g.backup(BackupPlan.builder().prefix("nightly").location(shared).build());
            Map<String, BackupInfo> done = run.awaitAll(Duration.ofSeconds(60));
            assertThat(run.refused()).isEmpty();
            assertThat(done).containsOnlyKeys("eu-1", "us-1");
            assertThat(done.values()).allSatisfy(b -> {
                assertThat(b.name()).isEqualTo(run.name()).startsWith("nightly-");
                assertThat(b.phase()).isEqualTo(BackupPhase.Completed);
            });
            // each member's backup is a Velero root of its own
            assertThat(Files.exists(folder.resolve("fleet/eu-1/backups/" + run.name() + "/velero-backup.json"))).isTrue();
            assertThat(Files.exists(folder.resolve("fleet/us-1/backups/" + run.name() + "/velero-backup.json"))).isTrue();

            Map<String, List<BackupInfo>> listed = g.listBackups(shared);
            assertThat(listed.get("eu-1")).extracting(BackupInfo::name).containsExactly(run.name());
            assertThat(listed.get("us-1")).extracting(BackupInfo::name).containsExactly(run.name());

            // a second run with the same fixed name is refused per member, before anything is written
            BackupPlan fixed = BackupPlan.builder().name(run.name()).location(shared).build();
            GroupRun<BackupHandle, BackupInfo> again = g.backup(fixed);
            assertThat(again.await(Duration.ofSeconds(30)).phase()).isEqualTo(GroupPhase.FAILED);
            assertThat(again.started()).isEmpty();
            assertThat(again.refused()).containsOnlyKeys("eu-1", "us-1");
            assertThat(again.refused().get("eu-1")).isInstanceOf(InvalidPlanException.class);

            // each member restores its own backup: lose a config map in both clusters, restore the group run
            euClient.configMaps().inNamespace("eu-shop").withName("cm-1").delete();
            usClient.configMaps().inNamespace("us-shop").withName("cm-2").delete();
            GroupRun<RestoreHandle, RestoreInfo> restored =
                    g.restore(RestorePlan.builder().location(shared).backupName(run.name()).build());
            Map<String, RestoreInfo> results = restored.awaitAll(Duration.ofSeconds(60));
            assertThat(restored.refused()).isEmpty();
            assertThat(results.values()).allSatisfy(r -> {
                assertThat(r.phase()).isEqualTo(RestorePhase.Completed);
                assertThat(r.created()).isGreaterThanOrEqualTo(1);
            });
            assertThat(euClient.configMaps().inNamespace("eu-shop").withName("cm-1").get().getData()).containsEntry("k", "eu-shop1");
            assertThat(usClient.configMaps().inNamespace("us-shop").withName("cm-2").get().getData()).containsEntry("k", "us-shop2");
            // nothing crossed over between members
            assertThat(euClient.namespaces().withName("us-shop").get()).isNull();

            assertThat(g.deleteBackup(shared, run.name())).containsExactly("eu-1", "us-1");
            assertThat(g.listBackups(shared).values()).allSatisfy(l -> assertThat(l).isEmpty());
        }
    }

    @Test
    void aGroupRestoreTargetsTheMembersOfNowWithPerMemberMapping() {
        BackupLocation shared = BackupLocation.localFolder(folder).prefix("ws").build();
        String run;
        try (ClusterGroup before = ClusterGroup.builder().name("shop").member("eu-1", KBackup.direct(euClient))
                .member("us-1", KBackup.direct(usClient)).closeMembers(true).build()) {
            GroupRun<BackupHandle, BackupInfo> backup = before.backup(BackupPlan.builder().prefix("ws").location(shared).build());
            assertThat(backup.await(Duration.ofSeconds(60)).phase()).isEqualTo(GroupPhase.COMPLETED);
            run = backup.name();
        }
        // since the backup: eu-1 left the workspace, ap-1 joined
        EmbeddedCluster ap = EmbeddedCluster.start();
        try (KubernetesClient apClient = ap.client();
             ClusterGroup now = ClusterGroup.builder().name("shop").member("us-1", KBackup.direct(usClient))
                     .member("ap-1", KBackup.direct(apClient)).closeMembers(true).build()) {
            // filters and mapping per member: each member restores its own namespace under a new name
            GroupRun<RestoreHandle, RestoreInfo> restore = now.restore(RestorePlan.builder().location(shared).backupName(run).build(), 2,
                    (member, plan) -> plan.includedNamespaces(member.substring(0, 2) + "-shop")
                            .namespaceMapping(Map.of(member.substring(0, 2) + "-shop", member + "-copy")));
            GroupRunInfo info = restore.await(Duration.ofSeconds(60));
            assertThat(info.members().get("us-1").phase()).as(info.toString()).isEqualTo(MemberPhase.COMPLETED);
            assertThat(info.members().get("ap-1").skipReason()).isEqualTo(SkipReason.NO_BACKUP);
            assertThat(info.members().get("eu-1").skipReason()).isEqualTo(SkipReason.NOT_A_MEMBER);
            assertThat(info.phase()).isEqualTo(GroupPhase.PARTIALLY_FAILED);
            assertThat(usClient.configMaps().inNamespace("us-1-copy").withName("cm-0").get().getData()).containsEntry("k", "us-shop0");
            assertThat(euClient.namespaces().withName("us-1-copy").get()).isNull();
            assertThat(apClient.namespaces().list().getItems()).noneMatch(n -> n.getMetadata().getName().endsWith("-copy"));
            assertThat(restore.progress().itemsDone()).isGreaterThanOrEqualTo(3);
        } finally {
            ap.close();
        }
    }

    @Test
    void membersNeedDistinctDnsLabelNames() {
        DirectEngine engine = KBackup.direct(euClient);
        assertThatThrownBy(() -> ClusterGroup.builder().member("EU", engine)).isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("DNS label");
        assertThatThrownBy(() -> ClusterGroup.builder().member("eu", engine).member("eu", engine))
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> ClusterGroup.builder().concurrency(5).maxConcurrency(4).build()).isInstanceOf(InvalidPlanException.class);
        try (ClusterGroup g = ClusterGroup.builder().member("eu", engine).build()) {
            assertThatThrownBy(() -> g.locationFor("mars", BackupLocation.localFolder(folder).build()))
                    .isInstanceOf(InvalidPlanException.class).hasMessageContaining("mars");
        }
        engine.close();
    }
}
