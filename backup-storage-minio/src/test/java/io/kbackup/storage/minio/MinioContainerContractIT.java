package io.kbackup.storage.minio;

import io.kbackup.BackupLocation;
import io.kbackup.Credentials;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviders;
import io.kbackup.testkit.storage.StorageProviderContract;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The storage contract for the minio provider against a real MinIO server in a container. Runs
 * where a Docker engine is available; skipped (disabled) without one.
 */
@Testcontainers(disabledWithoutDocker = true)
class MinioContainerContractIT extends StorageProviderContract {

    static final String BUCKET = "kbackup-minio";

    @Container
    static final MinIOContainer MINIO = new MinIOContainer("minio/minio:RELEASE.2023-09-04T19-57-37Z");

    @BeforeAll
    static void createBucket() throws Exception {
        MinioClient.builder().endpoint(MINIO.getS3URL()).credentials(MINIO.getUserName(), MINIO.getPassword()).build()
                .makeBucket(MakeBucketArgs.builder().bucket(BUCKET).build());
    }

    static BackupLocation location(String bucket) {
        return BackupLocation.minio(MINIO.getS3URL(), bucket)
                .config(MinioConfig.PART_SIZE_BYTES, String.valueOf(MinioConfig.MIN_PART_SIZE_BYTES))
                .credentials(Credentials.awsStatic(MINIO.getUserName(), MINIO.getPassword()))
                .build();
    }

    @Override
    protected StorageProvider createProvider() {
        return StorageProviders.discover().open(location(BUCKET));
    }

    @Override
    protected StorageProvider createProviderForMissingBucket() {
        return StorageProviders.discover().open(location("kbackup-minio-missing"));
    }
}
