package io.kbackup.storage.s3;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupClient;
import io.kbackup.BackupLocation;
import io.kbackup.core.KBackup;
import io.kbackup.testkit.engine.EngineRoundTripContract;
import io.kbackup.testkit.servers.MinioServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** DirectEngine backup, restore and delete through the s3 provider, against a real MinIO server. */
class S3EngineRoundTripRealIT extends EngineRoundTripContract {

    private static MinioServer minio;

    @BeforeAll
    static void startServer() {
        minio = MinioServer.start();
        minio.createBucket("kbackup-e2e");
    }

    @AfterAll
    static void stopServer() {
        if (minio != null) {
            minio.close();
        }
    }

    @Override
    protected BackupClient engine(KubernetesClient cluster) {
        return KBackup.direct(cluster);
    }

    @Override
    protected BackupLocation location() {
        return S3ProviderMinioServerContractRealIT.location(minio, "kbackup-e2e").build();
    }
}
