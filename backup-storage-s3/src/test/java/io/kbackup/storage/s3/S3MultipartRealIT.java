package io.kbackup.storage.s3;

import io.kbackup.BackupLocation;
import io.kbackup.spi.StorageProvider;
import io.kbackup.testkit.servers.MinioServer;
import io.kbackup.testkit.storage.S3CompatibleMultipartContract;

/**
 * How the s3 provider's writer uses multipart uploads on a real MinIO server: the
 * {@link S3CompatibleMultipartContract}.
 */
class S3MultipartRealIT extends S3CompatibleMultipartContract {

    @Override
    protected BackupLocation.Builder location(MinioServer server, String bucket) {
        return S3ProviderMinioServerContractRealIT.location(server, bucket);
    }

    @Override
    protected StorageProvider createProvider(BackupLocation location) {
        return new S3StorageProviderFactory().create(location);
    }
}
