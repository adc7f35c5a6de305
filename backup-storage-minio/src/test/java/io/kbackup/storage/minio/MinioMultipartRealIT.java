package io.kbackup.storage.minio;

import io.kbackup.BackupLocation;
import io.kbackup.spi.StorageProvider;
import io.kbackup.testkit.servers.MinioServer;
import io.kbackup.testkit.storage.S3CompatibleMultipartContract;

/**
 * How the minio provider's writer (MinIO Java client) uses multipart uploads on a real MinIO server:
 * the {@link S3CompatibleMultipartContract}.
 */
class MinioMultipartRealIT extends S3CompatibleMultipartContract {

    @Override
    protected BackupLocation.Builder location(MinioServer server, String bucket) {
        return MinioProviderContractRealIT.location(server, bucket);
    }

    @Override
    protected StorageProvider createProvider(BackupLocation location) {
        return new MinioStorageProviderFactory().create(location);
    }
}
