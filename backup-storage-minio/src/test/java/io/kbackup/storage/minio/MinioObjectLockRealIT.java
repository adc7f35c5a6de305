package io.kbackup.storage.minio;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupClient;
import io.kbackup.BackupLocation;
import io.kbackup.core.KBackup;
import io.kbackup.testkit.engine.ObjectLockContract;
import io.kbackup.testkit.servers.MinioServer;
import io.kbackup.testkit.servers.ServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Immutable backups through the minio provider (MinIO Java client) on a real MinIO server. */
class MinioObjectLockRealIT extends ObjectLockContract {

    @RegisterExtension
    static final ServerExtension<MinioServer> MINIO = ServerExtension.of(MinioServer::start,
            minio -> minio.createBucketWithObjectLock("kbackup-worm").createBucket("kbackup-plain"));

    @Override
    protected BackupClient engine(KubernetesClient cluster) {
        return KBackup.direct(cluster);
    }

    @Override
    protected BackupLocation lockBucketLocation() {
        return MinioProviderContractRealIT.location(MINIO.get(), "kbackup-worm").build();
    }

    @Override
    protected BackupLocation plainBucketLocation() {
        return MinioProviderContractRealIT.location(MINIO.get(), "kbackup-plain").build();
    }
}
