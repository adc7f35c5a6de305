package io.kbackup.core.internal.backup;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupLocation;
import io.kbackup.core.KBackup;
import io.kbackup.core.direct.DirectEngine;
import io.kbackup.testkit.cluster.EmbeddedCluster;
import io.kbackup.testkit.cluster.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Backup tests that only read the cluster, so they share one per class (embedded; a
 * {@code ...RealIT} subclass starts a real kube-apiserver instead), seeded by {@link #seed()},
 * and one DirectEngine on it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ClusterPerClassBackup {
    TestCluster cluster;
    KubernetesClient client;
    DirectEngine engine;
    BackupLocation location;

    /** The cluster the suite runs on; the {@code ...RealIT} subclass runs it on a real one. */
    TestCluster startCluster() {
        return EmbeddedCluster.start();
    }

    /** Fills the cluster (and sets what the tests share) before the first test. */
    abstract void seed();

    @BeforeAll
    void start() {
        cluster = startCluster();
        client = cluster.client();
        engine = KBackup.direct(client);
        seed();
    }

    @AfterAll
    void stop() {
        engine.close();
        client.close();
        cluster.close();
    }
}
