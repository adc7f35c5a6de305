package io.kbackup.storage.minio;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupClient;
import io.kbackup.BackupLocation;
import io.kbackup.Credentials;
import io.kbackup.core.KBackup;
import io.kbackup.spi.StorageProvider;
import io.kbackup.testkit.servers.MinioServer;
import io.kbackup.testkit.storage.MinioServerSuites;

/**
 * The minio provider (MinIO Java client) on a real MinIO server, which checks every signature: the
 * {@link MinioServerSuites} (storage contract on a plain and an object-lock bucket, multipart,
 * validate, engine round trip, immutable backups). The storage contract runs against S3Mock in
 * {@link MinioStorageProviderIT} too.
 */
class MinioProviderContractRealIT extends MinioServerSuites {

    /** The minio provider's location of {@code bucket} on {@code server}: the root user's keys, parts of 5 MiB. */
    static BackupLocation.Builder rootLocation(MinioServer server, String bucket) {
        return BackupLocation.minio(server.endpoint(), bucket)
                .config(MinioConfig.PART_SIZE_BYTES, String.valueOf(MinioConfig.MIN_PART_SIZE_BYTES))
                .credentials(Credentials.awsStatic(server.rootUser(), server.rootPassword()));
    }

    @Override
    protected BackupLocation.Builder location(MinioServer server, String bucket) {
        return rootLocation(server, bucket);
    }

    @Override
    protected BackupLocation.Builder locationWithNothingListening(String endpoint, String region, String bucket) {
        return BackupLocation.minio(endpoint, bucket);
    }

    @Override
    protected StorageProvider createProvider(BackupLocation location) {
        return new MinioStorageProviderFactory().create(location);
    }

    @Override
    protected BackupClient engine(KubernetesClient cluster) {
        return KBackup.direct(cluster);
    }
}
