package io.kbackup.core.internal.restore;

import io.kbackup.testkit.cluster.RealCluster;
import io.kbackup.testkit.cluster.TestCluster;

/**
 * {@link RestoreActionsIT} on a real kube-apiserver (with kube-controller-manager): its status
 * subresource, admission (a pod's PriorityClass, a StatefulSet's claim templates) and validation
 * accept what the restore item actions make.
 */
class RestoreActionsRealIT extends RestoreActionsIT {

    @Override
    TestCluster startCluster() {
        return RealCluster.start();
    }
}
