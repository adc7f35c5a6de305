package io.kbackup.storage.s3;

import io.kbackup.BackupLocation;
import io.kbackup.spi.StorageProvider;
import io.kbackup.testkit.servers.MinioServer;
import io.kbackup.testkit.storage.S3CompatibleValidateContract;

/**
 * {@code validate()} of the s3 provider against a real MinIO server, which checks signatures and
 * policies: the {@link S3CompatibleValidateContract}.
 */
class S3ValidateRealIT extends S3CompatibleValidateContract {

    @Override
    protected BackupLocation.Builder location(MinioServer server, String bucket) {
        return S3ProviderMinioServerContractRealIT.location(server, bucket);
    }

    @Override
    protected BackupLocation.Builder locationWithNothingListening(String endpoint, String region, String bucket) {
        return BackupLocation.s3(bucket).region(region).endpoint(endpoint).config(S3Config.S3_FORCE_PATH_STYLE, "true");
    }

    @Override
    protected StorageProvider createProvider(BackupLocation location) {
        return new S3StorageProviderFactory().create(location);
    }
}
