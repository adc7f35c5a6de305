package io.kbackup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RestorePlanTest {

    private final BackupLocation location = BackupLocation.localFolder(Path.of("/tmp/kb")).build();

    @Test
    void defaultsMatchVelero() {
        RestorePlan plan = RestorePlan.builder().location(location).backupName("b1").build();
        assertThat(plan.clusterWideMode()).isEqualTo(ClusterWideMode.AUTO);
        assertThat(plan.restorePersistentVolumes()).isTrue();
        assertThat(plan.preserveNodePorts()).isFalse();
        assertThat(plan.existingResourcePolicy()).isEqualTo(ExistingResourcePolicy.NONE);
        assertThat(plan.restoreNameAt(Instant.parse("2026-11-21T02:03:04Z"))).isEqualTo("b1-20261121020304");
    }

    @Test
    void namespaceMappingMapsAndKeepsUnmappedNames() {
        RestorePlan plan = RestorePlan.builder().location(location).backupName("b1")
                .namespaceMapping(Map.of("shop", "shop-copy")).build();
        assertThat(plan.targetNamespace("shop")).isEqualTo("shop-copy");
        assertThat(plan.targetNamespace("other")).isEqualTo("other");
    }

    @Test
    void badInputIsRefusedNamingTheField() {
        assertThatThrownBy(() -> RestorePlan.builder().location(location).build())
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("backupName");
        assertThatThrownBy(() -> RestorePlan.builder().backupName("b").build())
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("location");
        assertThatThrownBy(() -> RestorePlan.builder().location(location).backupName("b")
                .namespaceMapping(Map.of("a", "x", "b", "x")).build())
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("'x'");
        assertThatThrownBy(() -> RestorePlan.builder().location(location).backupName("b")
                .namespaceMapping(Map.of("a", "Not_Valid")).build())
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("namespaceMapping");
    }

    @Test
    void longBackupNamesStillMakeValidRestoreNames() {
        String longName = "b".repeat(60);
        RestorePlan plan = RestorePlan.builder().location(location).backupName(longName).build();
        assertThat(plan.restoreNameAt(Instant.now())).hasSizeLessThanOrEqualTo(63);
    }

    @Test
    void statusAndPluginMappingsAreKeptComparedAndValidated() {
        RestorePlan plain = RestorePlan.builder().location(location).backupName("b1").build();
        assertThat(plain.restoreStatus()).isFalse();
        assertThat(plain.pluginConfigNamespace()).contains(RestorePlan.DEFAULT_PLUGIN_CONFIG_NAMESPACE);
        assertThat(plain.storageClassMapping()).isEmpty();

        RestorePlan plan = plain.toBuilder().restoreStatus(List.of("widgets.example.com"), List.of("pods"))
                .storageClassMapping(Map.of("standard", "fast")).imageNameMapping(Map.of("registry-a", "registry-b"))
                .nodeMapping(Map.of("node-a", "node-b")).pluginConfigNamespace(null).build();
        assertThat(plan.restoreStatus()).isTrue();
        assertThat(plan.restoreStatusIncludedResources()).containsExactly("widgets.example.com");
        assertThat(plan.restoreStatusExcludedResources()).containsExactly("pods");
        assertThat(plan.pluginConfigNamespace()).isEmpty();
        assertThat(plan.toBuilder().build()).isEqualTo(plan).hasSameHashCodeAs(plan);
        assertThat(plan).isNotEqualTo(plain);
        assertThat(plan.toString()).contains("restoreStatus=[included=[widgets.example.com], excluded=[pods]]")
                .contains("storageClassMapping={standard=fast}").contains("pluginConfigNamespace=null");

        assertThatThrownBy(() -> plain.toBuilder().storageClassMapping(Map.of("standard", " ")).build())
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("storageClassMapping");
        assertThatThrownBy(() -> plain.toBuilder().restoreStatus(List.of("bad resource"), List.of()).build())
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("restoreStatus includedResources");
        assertThatThrownBy(() -> plain.toBuilder().pluginConfigNamespace("Not_Valid").build())
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("pluginConfigNamespace");
    }
}
