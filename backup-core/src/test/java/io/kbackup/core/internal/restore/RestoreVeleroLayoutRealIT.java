package io.kbackup.core.internal.restore;

import io.kbackup.testkit.cluster.RealCluster;
import io.kbackup.testkit.cluster.TestCluster;

/** {@link RestoreVeleroLayoutIT} (archives in Velero's own layout, restored) into a real kube-apiserver. */
class RestoreVeleroLayoutRealIT extends RestoreVeleroLayoutIT {
    @Override
    TestCluster startCluster() {
        return RealCluster.start();
    }
}
