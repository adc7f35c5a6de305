package io.kbackup.storage.minio;

import io.kbackup.BackupLocation;
import io.kbackup.spi.StorageProvider;
import io.kbackup.testkit.servers.MinioServer;
import io.kbackup.testkit.storage.S3CompatibleValidateContract;

/**
 * {@code validate()} of the minio provider against a real MinIO server, which checks signatures and
 * policies: the {@link S3CompatibleValidateContract}.
 */
class MinioValidateRealIT extends S3CompatibleValidateContract {

    @Override
    protected BackupLocation.Builder location(MinioServer server, String bucket) {
        return MinioProviderContractRealIT.location(server, bucket);
    }

    @Override
    protected BackupLocation.Builder locationWithNothingListening(String endpoint, String region, String bucket) {
        return BackupLocation.minio(endpoint, bucket);
    }

    @Override
    protected StorageProvider createProvider(BackupLocation location) {
        return new MinioStorageProviderFactory().create(location);
    }
}
