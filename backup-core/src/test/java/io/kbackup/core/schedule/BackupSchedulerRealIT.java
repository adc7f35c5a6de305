package io.kbackup.core.schedule;

import io.kbackup.testkit.cluster.RealCluster;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link BackupSchedulerIT} on a real kube-apiserver: leader election over a real
 * coordination.k8s.io Lease (optimistic concurrency by resourceVersion, as in production).
 */
class BackupSchedulerRealIT extends BackupSchedulerIT {

    @BeforeAll
    static void startCluster() {
        startCluster(RealCluster.start());
    }
}
