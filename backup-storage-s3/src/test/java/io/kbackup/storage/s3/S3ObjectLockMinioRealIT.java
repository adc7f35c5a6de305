package io.kbackup.storage.s3;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupClient;
import io.kbackup.BackupLocation;
import io.kbackup.core.KBackup;
import io.kbackup.testkit.engine.ObjectLockContract;
import io.kbackup.testkit.servers.MinioServer;
import io.kbackup.testkit.servers.ServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Immutable backups through the s3 provider (AWS SDK v2, S3 Object Lock) on a real MinIO server. */
class S3ObjectLockMinioRealIT extends ObjectLockContract {

    @RegisterExtension
    static final ServerExtension<MinioServer> MINIO = ServerExtension.of(MinioServer::start,
            minio -> minio.createBucketWithObjectLock("kbackup-worm").createBucket("kbackup-plain"));

    @Override
    protected BackupClient engine(KubernetesClient cluster) {
        return KBackup.direct(cluster);
    }

    @Override
    protected BackupLocation lockBucketLocation() {
        return S3ProviderMinioServerContractRealIT.location(MINIO.get(), "kbackup-worm").build();
    }

    @Override
    protected BackupLocation plainBucketLocation() {
        return S3ProviderMinioServerContractRealIT.location(MINIO.get(), "kbackup-plain").build();
    }
}
