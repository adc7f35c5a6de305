package io.kbackup.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupClient;
import io.kbackup.BackupHandle;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.ClusterWideMode;
import io.kbackup.Credentials;
import io.kbackup.ExistingResourcePolicy;
import io.kbackup.RestoreInfo;
import io.kbackup.RestorePhase;
import io.kbackup.RestorePlan;
import io.kbackup.RestorePreview;
import io.kbackup.Schedule;
import io.kbackup.ValidationResult;
import io.kbackup.core.KBackup;
import io.kbackup.core.fleet.ClusterGroup;
import io.kbackup.core.schedule.BackupScheduler;
import io.kbackup.core.schedule.RetentionPolicy;
import io.kbackup.testkit.cluster.EmbeddedCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's code, compiled and run (so the docs cannot rot): each snippet is the README's text
 * with the S3 location swapped for a local folder where it would need a real bucket.
 */
class ReadmeSnippetsIT {
    private static EmbeddedCluster cluster;
    private static EmbeddedCluster other;
    private static KubernetesClient k8s;
    private static KubernetesClient otherCluster;

    @TempDir
    Path folder;

    @BeforeAll
    static void start() {
        cluster = EmbeddedCluster.start();
        other = EmbeddedCluster.start();
        k8s = cluster.client();
        otherCluster = other.client();
        for (String ns : List.of("shop", "payments")) {
            k8s.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
            k8s.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("settings").endMetadata()
                    .addToData("k", ns).build()).create();
        }
    }

    @AfterAll
    static void stop() {
        k8s.close();
        otherCluster.close();
        cluster.close();
        other.close();
    }

    @Test
    void theS3LocationOfTheTourBuildsAndNeverPrintsItsSecrets() {
        BackupLocation location = BackupLocation.s3("team-backups")
                .region("eu-west-1")
                .prefix("prod/cluster-1")
                .credentials(Credentials.awsAssumeRole(
                        "arn:aws:iam::123456789012:role/kbackup", "external-id", Duration.ofHours(1), null))
                .build();
        assertThat(location.toString()).doesNotContain("external-id");
        // the s3 module is not on this class path: validate() says what to add, it does not throw
        ValidationResult check = location.validate();
        assertThat(check.has(ValidationResult.Kind.INVALID_CONFIGURATION)).isTrue();
        assertThat(check.toString()).contains("io.kbackup:backup-storage-s3");
    }

    @Test
    void theTourBacksUpListsPreviewsAndRestores() {
        BackupLocation location = BackupLocation.localFolder(folder).build();

        BackupPlan plan = BackupPlan.builder()
                .prefix("nightly")
                .location(location)
                .expiry(Duration.ofDays(7))
                .includedNamespaces("shop", "payments")
                .clusterWideMode(ClusterWideMode.AUTO)
                .build();

        try (BackupClient kbackup = KBackup.direct(k8s)) {
            BackupInfo info = kbackup.backup(plan).await(Duration.ofMinutes(30));
            assertThat(info.phase()).isEqualTo(BackupPhase.Completed);
            assertThat(kbackup.listBackups(location)).extracting(BackupInfo::name).containsExactly(info.name());

            RestorePlan restore = RestorePlan.builder()
                    .location(location)
                    .backupName(info.name())
                    .namespaceMapping(Map.of("shop", "shop-restored"))
                    .existingResourcePolicy(ExistingResourcePolicy.UPDATE)
                    .build();
            RestorePreview preview = kbackup.preview(restore);
            assertThat(preview.counts()).containsKey(RestorePreview.Action.CREATE);
            RestoreInfo result = kbackup.restore(restore).await(Duration.ofMinutes(30));
            assertThat(result.phase()).isEqualTo(RestorePhase.Completed);
            assertThat(k8s.configMaps().inNamespace("shop-restored").withName("settings").get()).isNotNull();

            // Restore into another cluster: an engine on that cluster's client.
            try (BackupClient there = KBackup.direct(otherCluster)) {
                assertThat(there.restore(RestorePlan.builder().location(location).backupName(info.name()).build())
                        .await(Duration.ofMinutes(30)).phase()).isEqualTo(RestorePhase.Completed);
            }
            assertThat(otherCluster.configMaps().inNamespace("payments").withName("settings").get()).isNotNull();
        }
    }

    @Test
    void theSchedulerSnippetStartsAndStops() {
        BackupLocation location = BackupLocation.localFolder(folder).build();
        List<String> log = new ArrayList<>();
        String podName = "replica-1";
        BackupScheduler scheduler = BackupScheduler.builder()
                .backupClient(KBackup.direct(k8s))
                .leaderElection(k8s, "default", "kbackup-scheduler", podName)
                .listener(event -> log.add(event.toString()))
                .build();
        scheduler.add(BackupPlan.builder().prefix("nightly").location(location)
                        .schedule(Schedule.cron("0 2 * * *").inZone("Europe/Berlin"))
                        .expiry(Duration.ofDays(7)).build(),
                RetentionPolicy.expiryOnly().keepNewestGood(true).keepLast(14));
        scheduler.start();
        scheduler.close();
        assertThat(log).anyMatch(line -> line.contains("SCHEDULED") && line.contains("next run at"));
    }

    @Test
    void theGroupSnippetBacksUpAndRestoresEveryMember() {
        BackupLocation location = BackupLocation.localFolder(folder).build();
        BackupPlan plan = BackupPlan.builder().prefix("fleet").location(location).includedNamespaces("shop").build();
        try (ClusterGroup fleet = ClusterGroup.builder()
                .member("eu-1", KBackup.direct(k8s)).member("us-1", KBackup.direct(otherCluster)).closeMembers(true).build()) {
            ClusterGroup.Run<BackupHandle, BackupInfo> run = fleet.backup(plan);
            Map<String, BackupInfo> done = run.awaitAll(Duration.ofMinutes(30));
            assertThat(done).containsOnlyKeys("eu-1", "us-1");
            fleet.restore(RestorePlan.builder().location(location).backupName(run.name()).build())
                    .awaitAll(Duration.ofMinutes(30))
                    .values().forEach(r -> assertThat(r.phase()).isEqualTo(RestorePhase.Completed));
        }
    }
}
