package io.kbackup.storage.minio;

import static org.assertj.core.api.Assertions.assertThat;

import com.adobe.testing.s3mock.junit5.S3MockExtension;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupClient;
import io.kbackup.BackupLocation;
import io.kbackup.Credentials;
import io.kbackup.core.KBackup;
import io.kbackup.spi.StorageProvider;
import io.kbackup.testkit.storage.S3MockProviderContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The minio provider against Adobe S3Mock in this JVM: the {@link S3MockProviderContract} (with
 * the storage contract and the engine round trip), and objects the AWS SDK reads as well.
 */
class MinioStorageProviderIT extends S3MockProviderContract {

    static final String BUCKET = "kbackup-minio-it";
    static final String SECRET = "minio-secret-key-never-printed";

    @RegisterExtension
    static final S3MockExtension S3_MOCK = S3MockExtension.builder().withInitialBuckets(BUCKET)
            .withProperty("server.address", "127.0.0.1").silent().build();

    MinioStorageProviderIT() {
        super(BUCKET, S3_MOCK.getHttpPort(), S3_MOCK.getPort(), SECRET);
    }

    @Override
    protected BackupLocation.Builder location(String endpoint, String bucket) {
        return mockLocation(endpoint, bucket);
    }

    /** The minio provider's location of {@code bucket} at {@code endpoint} (S3Mock): keys S3Mock accepts (any), parts of 5 MiB. */
    static BackupLocation.Builder mockLocation(String endpoint, String bucket) {
        return BackupLocation.minio(endpoint, bucket)
                .config(MinioConfig.PART_SIZE_BYTES, String.valueOf(MinioConfig.MIN_PART_SIZE_BYTES))
                .credentials(Credentials.awsStatic("minio-access", SECRET));
    }

    @Override
    protected BackupClient engine(KubernetesClient cluster) {
        return KBackup.direct(cluster);
    }

    @Override
    protected StorageProvider createProvider(BackupLocation location) {
        return new MinioStorageProviderFactory().create(location);
    }

    @Test
    void readsWhatTheS3ProviderWouldRead() {
        // the same bucket through the AWS SDK: MinIO-client writes are plain S3 objects
        StorageProvider minio = open(bucketLocation());
        minio.put(prefix + "shared.json", "{\"a\":1}".getBytes());
        assertThat(S3_MOCK.createS3ClientV2().getObjectAsBytes(b -> b.bucket(BUCKET).key(prefix + "shared.json"))
                .asUtf8String()).isEqualTo("{\"a\":1}");
    }
}
