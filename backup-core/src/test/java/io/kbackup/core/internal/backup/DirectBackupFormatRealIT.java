package io.kbackup.core.internal.backup;

import io.kbackup.testkit.cluster.RealCluster;
import io.kbackup.testkit.cluster.TestCluster;

/** {@link DirectBackupFormatIT} (bucket layout, tarball, documents) on a real kube-apiserver. */
class DirectBackupFormatRealIT extends DirectBackupFormatIT {
    @Override
    TestCluster startCluster() {
        return RealCluster.start();
    }
}
