package io.kbackup.core.internal.restore;

import io.kbackup.testkit.cluster.RealCluster;
import io.kbackup.testkit.cluster.TestCluster;

/** {@link RestoreTrustIT} on a real kube-apiserver: its discovery, its RBAC (a binding of cluster-admin to anonymous users). */
class RestoreTrustRealIT extends RestoreTrustIT {

    @Override
    TestCluster startCluster() {
        return RealCluster.start();
    }
}
