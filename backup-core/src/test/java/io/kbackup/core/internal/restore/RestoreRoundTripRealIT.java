package io.kbackup.core.internal.restore;

import io.kbackup.testkit.cluster.RealCluster;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link RestoreRoundTripIT} (order, CRDs established, transforms, mapping, ClusterWideMode,
 * policies, preview, tampered archives) from one real kube-apiserver into another.
 */
class RestoreRoundTripRealIT extends RestoreRoundTripIT {

    @BeforeAll
    static void backUpClusterA() {
        backUpClusterA(RealCluster::start);
    }
}
