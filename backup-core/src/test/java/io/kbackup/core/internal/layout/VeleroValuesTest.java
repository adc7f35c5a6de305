package io.kbackup.core.internal.layout;

import static org.assertj.core.api.Assertions.assertThat;

import io.kbackup.ClusterWideMode;
import io.kbackup.ExistingResourcePolicy;
import org.junit.jupiter.api.Test;

class VeleroValuesTest {

    @Test
    void clusterWideModeMapsToVeleroIncludeClusterResourcesAndBack() {
        assertThat(VeleroValues.includeClusterResources(ClusterWideMode.ALWAYS)).isTrue();
        assertThat(VeleroValues.includeClusterResources(ClusterWideMode.AUTO)).isNull();
        assertThat(VeleroValues.includeClusterResources(ClusterWideMode.NEVER)).isFalse();
        for (ClusterWideMode m : ClusterWideMode.values()) {
            assertThat(VeleroValues.clusterWideMode(VeleroValues.includeClusterResources(m))).isEqualTo(m);
        }
    }

    @Test
    void existingResourcePolicyIsSpelledInLowerCase() {
        assertThat(VeleroValues.existingResourcePolicy(ExistingResourcePolicy.NONE)).isEqualTo("none");
        assertThat(VeleroValues.existingResourcePolicy(ExistingResourcePolicy.UPDATE)).isEqualTo("update");
    }
}
