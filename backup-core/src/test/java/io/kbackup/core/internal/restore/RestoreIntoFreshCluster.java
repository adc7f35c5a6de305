package io.kbackup.core.internal.restore;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupLocation;
import io.kbackup.testkit.cluster.EmbeddedCluster;
import io.kbackup.testkit.cluster.TestCluster;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restore tests that each restore into a cluster of their own: per test a fresh cluster (embedded;
 * a {@code ...RealIT} subclass starts a real kube-apiserver instead), a client of it and a
 * local-folder location in a fresh folder that the test fills with backups.
 */
abstract class RestoreIntoFreshCluster {

    @TempDir
    Path bucket;

    TestCluster cluster;
    KubernetesClient k8s;
    BackupLocation location;

    /** The cluster each test restores into; the {@code ...RealIT} subclasses use a real kube-apiserver. */
    TestCluster startCluster() {
        return EmbeddedCluster.start();
    }

    @BeforeEach
    void startFreshCluster() {
        cluster = startCluster();
        k8s = cluster.client();
        location = BackupLocation.localFolder(bucket).build();
    }

    @AfterEach
    void stopCluster() {
        k8s.close();
        cluster.close();
    }
}
