package io.kbackup.storage.s3;

import io.kbackup.BackupLocation;
import io.kbackup.Credentials;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviders;
import io.kbackup.testkit.servers.MinioServer;
import io.kbackup.testkit.servers.ServerExtension;
import io.kbackup.testkit.storage.StorageProviderContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The storage contract for the s3 provider (AWS SDK v2) against a real MinIO server, which checks
 * every signature and answers as S3 does (path style, the root user's keys). Parts of 5 MiB so that
 * the large-blob test is a multipart upload of many parts. Nothing is skipped. The same suite runs
 * against S3Mock in {@link S3StorageProviderContractIT}.
 */
class S3ProviderMinioServerContractRealIT extends StorageProviderContract {

    static final String BUCKET = "kbackup-contract";

    @RegisterExtension
    static final ServerExtension<MinioServer> MINIO = ServerExtension.of(MinioServer::start,
            minio -> minio.createBucket(BUCKET));

    static BackupLocation.Builder location(MinioServer server, String bucket) {
        return BackupLocation.s3(bucket)
                .region(server.region())
                .endpoint(server.endpoint())
                .config(S3Config.S3_FORCE_PATH_STYLE, "true")
                .config(S3Config.PART_SIZE_BYTES, String.valueOf(S3Config.MIN_PART_SIZE_BYTES))
                .credentials(Credentials.awsStatic(server.rootUser(), server.rootPassword()));
    }

    @Override
    protected StorageProvider createProvider() {
        return StorageProviders.discover().open(location(MINIO.get(), BUCKET).build());
    }

    @Override
    protected StorageProvider createProviderForMissingBucket() {
        return StorageProviders.discover().open(location(MINIO.get(), "kbackup-contract-missing").build());
    }
}
