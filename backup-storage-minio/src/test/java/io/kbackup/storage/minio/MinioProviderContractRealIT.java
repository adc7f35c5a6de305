package io.kbackup.storage.minio;

import io.kbackup.BackupLocation;
import io.kbackup.Credentials;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviders;
import io.kbackup.testkit.servers.MinioServer;
import io.kbackup.testkit.servers.ServerExtension;
import io.kbackup.testkit.storage.StorageProviderContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The storage contract for the minio provider (MinIO Java client) against a real MinIO server,
 * which checks every signature. Parts of 5 MiB so that the large-blob test is a multipart upload
 * of many parts. Nothing is skipped. The same suite runs against S3Mock in
 * {@link MinioStorageProviderContractIT}.
 */
class MinioProviderContractRealIT extends StorageProviderContract {

    static final String BUCKET = "kbackup-minio";

    @RegisterExtension
    static final ServerExtension<MinioServer> MINIO = ServerExtension.of(MinioServer::start,
            minio -> minio.createBucket(BUCKET));

    static BackupLocation.Builder location(MinioServer server, String bucket) {
        return BackupLocation.minio(server.endpoint(), bucket)
                .config(MinioConfig.PART_SIZE_BYTES, String.valueOf(MinioConfig.MIN_PART_SIZE_BYTES))
                .credentials(Credentials.awsStatic(server.rootUser(), server.rootPassword()));
    }

    @Override
    protected StorageProvider createProvider() {
        return StorageProviders.discover().open(location(MINIO.get(), BUCKET).build());
    }

    @Override
    protected StorageProvider createProviderForMissingBucket() {
        return StorageProviders.discover().open(location(MINIO.get(), "kbackup-minio-missing").build());
    }
}
