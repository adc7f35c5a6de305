package io.kbackup.storage.s3;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupClient;
import io.kbackup.BackupLocation;
import io.kbackup.Credentials;
import io.kbackup.core.KBackup;
import io.kbackup.spi.StorageProvider;
import io.kbackup.testkit.servers.MinioServer;
import io.kbackup.testkit.storage.MinioServerSuites;

/**
 * The s3 provider (AWS SDK v2) on a real MinIO server, which checks every signature and answers as
 * S3 does (path style, the root user's keys): the {@link MinioServerSuites} (storage contract on a
 * plain and an object-lock bucket, multipart, validate, engine round trip, immutable backups). The
 * storage contract runs against S3Mock in {@link S3StorageProviderIT} too.
 */
class S3ProviderMinioServerContractRealIT extends MinioServerSuites {

    @Override
    protected BackupLocation.Builder location(MinioServer server, String bucket) {
        return BackupLocation.s3(bucket)
                .region(server.region())
                .endpoint(server.endpoint())
                .config(S3Config.S3_FORCE_PATH_STYLE, "true")
                .config(S3Config.PART_SIZE_BYTES, String.valueOf(S3Config.MIN_PART_SIZE_BYTES))
                .credentials(Credentials.awsStatic(server.rootUser(), server.rootPassword()));
    }

    @Override
    protected BackupLocation.Builder locationWithNothingListening(String endpoint, String region, String bucket) {
        return BackupLocation.s3(bucket).region(region).endpoint(endpoint).config(S3Config.S3_FORCE_PATH_STYLE, "true");
    }

    @Override
    protected StorageProvider createProvider(BackupLocation location) {
        return new S3StorageProviderFactory().create(location);
    }

    @Override
    protected BackupClient engine(KubernetesClient cluster) {
        return KBackup.direct(cluster);
    }
}
