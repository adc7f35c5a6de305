package io.kbackup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackupPlanTest {

    private final BackupLocation location = BackupLocation.localFolder(Path.of("/tmp/kb")).build();

    @Test
    void defaultsMatchVelero() {
        BackupPlan plan = BackupPlan.builder().name("b1").location(location).build();
        assertThat(plan.expiry()).isEqualTo(Duration.ofHours(720));
        assertThat(plan.clusterWideMode()).isEqualTo(ClusterWideMode.AUTO);
        assertThat(plan.includeAllDisks()).isFalse();
        assertThat(plan.coversAllNamespaces()).isTrue();
        assertThat(plan.schedule().isScheduled()).isFalse();
    }

    @Test
    void prefixMakesUtcTimestampedNames() {
        BackupPlan plan = BackupPlan.builder().prefix("nightly").location(location).build();
        assertThat(plan.backupNameAt(Instant.parse("2026-11-21T02:03:04Z"))).isEqualTo("nightly-20261121020304");
    }

    @Test
    void nameOrPrefixIsRequiredButNotBoth() {
        assertThatThrownBy(() -> BackupPlan.builder().location(location).build())
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("name or a prefix");
        assertThatThrownBy(() -> BackupPlan.builder().name("a").prefix("b").location(location).build())
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("not both");
    }

    @Test
    void invalidNamesPrefixesAndNamespacesAreRefusedNamingTheField() {
        assertThatThrownBy(() -> BackupPlan.builder().name("Bad_Name").location(location).build())
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("Bad_Name");
        assertThatThrownBy(() -> BackupPlan.builder().prefix("x".repeat(49)).location(location).build())
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("prefix").hasMessageContaining("48");
        assertThatThrownBy(() -> BackupPlan.builder().name("b").location(location).includedNamespaces("Shop").build())
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("includedNamespaces");
        assertThatThrownBy(() -> BackupPlan.builder().name("b").location(location)
                .includedNamespaces("shop").excludedNamespaces("shop").build())
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("both");
        assertThatThrownBy(() -> BackupPlan.builder().name("b").location(location).labelSelector(Map.of("app", "bad value")).build())
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("labelSelector");
    }

    @Test
    void locationAndPositiveExpiryAreRequired() {
        assertThatThrownBy(() -> BackupPlan.builder().name("b").build())
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("location");
        assertThatThrownBy(() -> BackupPlan.builder().name("b").location(location).expiry(Duration.ZERO).build())
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("expiry");
    }

    @Test
    void aScheduledPlanNeedsAPrefix() {
        assertThatThrownBy(() -> BackupPlan.builder().name("b").location(location).schedule(Schedule.weeklyOnSunday()).build())
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("prefix");
    }

    @Test
    void aNamespaceSelectionOrExclusionIsNotAllNamespaces() {
        assertThat(BackupPlan.builder().name("b").location(location).includedNamespaces("a").build().coversAllNamespaces()).isFalse();
        assertThat(BackupPlan.builder().name("b").location(location).excludedNamespaces("a").build().coversAllNamespaces()).isFalse();
        assertThat(BackupPlan.builder().name("b").location(location).includedNamespaces("*").build().coversAllNamespaces()).isTrue();
    }

    @Test
    void toBuilderRoundTrips() {
        BackupPlan plan = BackupPlan.builder().prefix("p").location(location).includedNamespaces("a", "b")
                .clusterWideMode(ClusterWideMode.NEVER).expiry(Duration.ofDays(3)).build();
        BackupPlan copy = plan.toBuilder().build();
        assertThat(copy.includedNamespaces()).isEqualTo(plan.includedNamespaces());
        assertThat(copy.clusterWideMode()).isEqualTo(ClusterWideMode.NEVER);
        assertThat(copy.expiry()).isEqualTo(Duration.ofDays(3));
    }
}
