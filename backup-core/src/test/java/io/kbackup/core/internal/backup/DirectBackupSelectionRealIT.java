package io.kbackup.core.internal.backup;

import io.kbackup.testkit.cluster.RealCluster;
import io.kbackup.testkit.cluster.TestCluster;

/** {@link DirectBackupSelectionIT} (ClusterWideMode table, filters, skips) on a real kube-apiserver. */
class DirectBackupSelectionRealIT extends DirectBackupSelectionIT {
    @Override
    TestCluster startCluster() {
        return RealCluster.start();
    }
}
