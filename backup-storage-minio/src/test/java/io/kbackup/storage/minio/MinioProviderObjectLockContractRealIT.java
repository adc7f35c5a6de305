package io.kbackup.storage.minio;

import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviders;
import io.kbackup.testkit.servers.MinioServer;
import io.kbackup.testkit.servers.ServerExtension;
import io.kbackup.testkit.storage.StorageProviderContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The storage contract for the minio provider against a real MinIO bucket created with object lock
 * (and so versioning), as used for immutable backups: uploads must carry a checksum, deletions
 * leave delete markers, and listings show only current objects. Nothing is skipped.
 */
class MinioProviderObjectLockContractRealIT extends StorageProviderContract {

    static final String BUCKET = "kbackup-locked";

    @RegisterExtension
    static final ServerExtension<MinioServer> MINIO = ServerExtension.of(MinioServer::start,
            minio -> minio.createBucketWithObjectLock(BUCKET));

    @Override
    protected StorageProvider createProvider() {
        return StorageProviders.discover().open(MinioProviderContractRealIT.location(MINIO.get(), BUCKET).build());
    }

    @Override
    protected StorageProvider createProviderForMissingBucket() {
        return StorageProviders.discover().open(
                MinioProviderContractRealIT.location(MINIO.get(), "kbackup-locked-missing").build());
    }
}
