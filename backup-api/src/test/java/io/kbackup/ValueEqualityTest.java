package io.kbackup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Plans and results are values: equal when every setting is, and printed without secrets. */
class ValueEqualityTest {
    private static final BackupLocation S3 = BackupLocation.s3("team-backups").region("eu-west-1")
            .credentials(Credentials.awsStatic("AKIAEXAMPLEKEY", "very-secret-key")).build();

    private static BackupPlan.Builder plan() {
        return BackupPlan.builder().prefix("nightly").location(S3).schedule(Schedule.cron("0 2 * * *"))
                .expiry(Duration.ofDays(7)).includedNamespaces("shop").labelSelector(Map.of("app", "web"));
    }

    @Test
    void backupPlansWithTheSameSettingsAreEqual() {
        assertThat(plan().build()).isEqualTo(plan().build()).hasSameHashCodeAs(plan().build());
        assertThat(plan().build().toBuilder().build()).isEqualTo(plan().build());
        assertThat(plan().excludedResources("secrets").build()).isNotEqualTo(plan().build());
        assertThat(plan().location(BackupLocation.localFolder(Path.of("/tmp/b")).build()).build()).isNotEqualTo(plan().build());
    }

    @Test
    void restorePlansWithTheSameSettingsAreEqual() {
        RestorePlan a = RestorePlan.builder().location(S3).backupName("nightly-1").namespaceMapping(Map.of("shop", "shop-2")).build();
        assertThat(a).isEqualTo(a.toBuilder().build()).hasSameHashCodeAs(a.toBuilder().build());
        assertThat(a.toBuilder().existingResourcePolicy(ExistingResourcePolicy.UPDATE).build()).isNotEqualTo(a);
    }

    @Test
    void plansNeverPrintTheLocationsSecrets() {
        RestorePlan restore = RestorePlan.builder().location(S3).backupName("nightly-1").build();
        assertThat(plan().build().toString()).doesNotContain("very-secret-key").contains("labelSelector={app=web}");
        assertThat(restore.toString()).doesNotContain("very-secret-key");
    }

    @Test
    void backupInfoIsAValueWithABuilder() {
        Instant t = Instant.parse("2026-11-21T02:00:00Z");
        BackupInfo a = BackupInfo.builder().name("b1").phase(BackupPhase.COMPLETED).created(t).includedNamespaces(List.of("shop"))
                .clusterWideMode(ClusterWideMode.AUTO).itemsBackedUp(3).build();
        assertThat(a).isEqualTo(a.toBuilder().build()).hasSameHashCodeAs(a.toBuilder().build());
        assertThat(a.toBuilder().failureReason("x").build()).isNotEqualTo(a);
        assertThat(a.excludedNamespaces()).isEmpty();
        assertThat(a.labels()).isEmpty();
        assertThat(a.namespacesForDisplay()).isEqualTo("shop");
        assertThat(a.toString()).contains("name=b1", "phase=Completed");
    }

    @Test
    void restoreInfoIsAValueWithABuilder() {
        RestoreInfo a = RestoreInfo.builder().name("r1").backupName("b1").phase(RestorePhase.COMPLETED).created(2).build();
        assertThat(a).isEqualTo(a.toBuilder().build()).hasSameHashCodeAs(a.toBuilder().build());
        assertThat(a.errors()).isEmpty();
        assertThat(a.namespaceMapping()).isEmpty();
        assertThat(a.toBuilder().failed(1).build()).isNotEqualTo(a);
        assertThat(a.toBuilder().unchanged(1).build()).isNotEqualTo(a);
    }
}
