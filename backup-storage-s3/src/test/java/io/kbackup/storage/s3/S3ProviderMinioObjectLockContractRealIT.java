package io.kbackup.storage.s3;

import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviders;
import io.kbackup.testkit.servers.MinioServer;
import io.kbackup.testkit.storage.StorageProviderContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The storage contract for the s3 provider against a real MinIO bucket created with object lock
 * (and so versioning), as used for immutable backups: uploads must carry a checksum, deletions
 * leave delete markers, and listings show only current objects. Nothing is skipped.
 */
class S3ProviderMinioObjectLockContractRealIT extends StorageProviderContract {

    static final String BUCKET = "kbackup-locked";

    private static MinioServer minio;

    @BeforeAll
    static void startServer() {
        minio = MinioServer.start();
        minio.createBucketWithObjectLock(BUCKET);
    }

    @AfterAll
    static void stopServer() {
        if (minio != null) {
            minio.close();
        }
    }

    @Override
    protected StorageProvider createProvider() {
        return StorageProviders.discover().open(S3ProviderMinioServerContractRealIT.location(minio, BUCKET).build());
    }

    @Override
    protected StorageProvider createProviderForMissingBucket() {
        return StorageProviders.discover().open(
                S3ProviderMinioServerContractRealIT.location(minio, "kbackup-locked-missing").build());
    }
}
