package io.kbackup.storage.minio;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupLocation;
import io.kbackup.Credentials;
import io.kbackup.testkit.cluster.RealCluster;
import io.kbackup.testkit.servers.MinioServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * What the tests of kbackup and the real Velero both ways stand on: two real clusters, A and B,
 * with a client each, and one MinIO bucket both reach as {@link #location}. A test class starts
 * them in its {@code @BeforeAll} with {@link #startShared}; they and whatever it hands to
 * {@link #closeLater} are closed after the class. The fields are this class's, shared by its
 * subclasses: two of them never run at the same time (the lock is inherited).
 */
@ResourceLock("TwoClustersOneBucket")
abstract class TwoClustersOneBucket {
    static MinioServer minio;
    static RealCluster clusterA;
    static RealCluster clusterB;
    static KubernetesClient a;
    static KubernetesClient b;
    static BackupLocation location;
    private static final List<AutoCloseable> LATER = new ArrayList<>();

    /** Starts MinIO with {@code bucket} and the two clusters; {@link #location} is that bucket under {@code prefix}. */
    static void startShared(String bucket, String prefix) {
        minio = MinioServer.start().createBucket(bucket);
        clusterA = RealCluster.start();
        clusterB = RealCluster.start();
        a = clusterA.client();
        b = clusterB.client();
        location = BackupLocation.minio(minio.endpoint(), bucket).prefix(prefix)
                .credentials(Credentials.awsStatic(minio.rootUser(), minio.rootPassword())).build();
    }

    /** Closed after the class, before the clusters, the last handed in first. */
    static <T extends AutoCloseable> T closeLater(T resource) {
        LATER.add(0, resource);
        return resource;
    }

    @AfterAll
    static void stopShared() {
        List<AutoCloseable> all = new ArrayList<>(LATER);
        all.addAll(java.util.Arrays.asList(a, b, clusterB, clusterA, minio));
        LATER.clear();
        for (AutoCloseable c : all) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // best effort
                }
            }
        }
        minio = null;
        clusterA = null;
        clusterB = null;
        a = null;
        b = null;
    }
}
