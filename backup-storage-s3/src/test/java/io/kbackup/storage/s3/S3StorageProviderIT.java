package io.kbackup.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.adobe.testing.s3mock.junit5.S3MockExtension;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupClient;
import io.kbackup.BackupLocation;
import io.kbackup.Credentials;
import io.kbackup.NotFoundException;
import io.kbackup.core.KBackup;
import io.kbackup.spi.StorageProvider;
import io.kbackup.testkit.storage.S3MockProviderContract;
import java.io.InputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * The s3 provider against Adobe S3Mock in this JVM: the {@link S3MockProviderContract} (with the
 * storage contract and the engine round trip), server-side encryption, checksums and reads.
 */
class S3StorageProviderIT extends S3MockProviderContract {

    static final String BUCKET = "kbackup-it";
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    static final String KMS_KEY_ID = "valid-test-key-id";
    static final String KMS_KEY = "arn:aws:kms:us-east-1:123456789012:key/" + KMS_KEY_ID;

    @RegisterExtension
    static final S3MockExtension S3_MOCK = S3MockExtension.builder().withInitialBuckets(BUCKET)
            .withProperty("server.address", "127.0.0.1").silent().build();

    /**
     * The s3 provider's location of {@code bucket} at {@code endpoint} (S3Mock): path style, keys
     * S3Mock accepts (any), parts of 5 MiB.
     */
    static BackupLocation.Builder mockLocation(String endpoint, String bucket) {
        return BackupLocation.s3(bucket).endpoint(endpoint).config(S3Config.S3_FORCE_PATH_STYLE, "true")
                .config(S3Config.PART_SIZE_BYTES, String.valueOf(S3Config.MIN_PART_SIZE_BYTES))
                .credentials(Credentials.awsStatic("AKIAIOSFODNN7EXAMPLE", SECRET));
    }

    S3StorageProviderIT() {
        super(BUCKET, S3_MOCK.getHttpPort(), S3_MOCK.getPort(), SECRET);
    }

    @Override
    protected BackupLocation.Builder location(String endpoint, String bucket) {
        return mockLocation(endpoint, bucket);
    }

    @Override
    protected BackupClient engine(KubernetesClient cluster) {
        return KBackup.direct(cluster);
    }

    @Override
    protected StorageProvider createProvider(BackupLocation location) {
        return new S3StorageProviderFactory().create(location);
    }

    @Test
    void requestsAes256ServerSideEncryption() throws Exception {
        StorageProvider s3 = open(bucketLocation().config(S3Config.SERVER_SIDE_ENCRYPTION, "AES256"));
        String key = prefix + "sse-s3";
        s3.put(key, random(10));
        HeadObjectResponse head = S3_MOCK.createS3ClientV2().headObject(b -> b.bucket(BUCKET).key(key));
        assertThat(head.serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);
    }

    @Test
    void requestsKmsEncryptionWithTheKeyGiven() throws Exception {
        S3_MOCK.registerKMSKeyRef(KMS_KEY);
        // S3Mock checks the key id part of a registered ARN; it does not keep encryption settings of
        // multipart uploads, so this checks a single PutObject
        StorageProvider s3 = open(bucketLocation().config(S3Config.KMS_KEY_ID, KMS_KEY_ID));
        String key = prefix + "sse-kms";
        s3.put(key, random(10));
        HeadObjectResponse head = S3_MOCK.createS3ClientV2().headObject(b -> b.bucket(BUCKET).key(key));
        assertThat(head.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
        assertThat(head.ssekmsKeyId()).isEqualTo(KMS_KEY_ID);
    }

    @Test
    void storesWithoutChecksumWhenTheAlgorithmIsEmpty() {
        StorageProvider s3 = open(bucketLocation().config(S3Config.CHECKSUM_ALGORITHM, ""));
        s3.put(prefix + "plain", "hello".getBytes());
        assertThat(s3.getBytes(prefix + "plain")).isEqualTo("hello".getBytes());
    }

    @Test
    void readingAMissingKeyThrowsNotFoundWithTheKey() {
        StorageProvider s3 = open(bucketLocation());
        assertThatThrownBy(() -> s3.get(prefix + "missing"))
                .isInstanceOfSatisfying(NotFoundException.class, e -> {
                    assertThat(e.name()).isEqualTo(prefix + "missing");
                    assertThat(e.retryable()).isFalse();
                });
        assertThat(s3.head(prefix + "missing")).isEmpty();
    }

    @Test
    void rangeStartingAtTheEndReadsNothing() throws Exception {
        StorageProvider s3 = open(bucketLocation());
        s3.put(prefix + "ten", random(10));
        try (InputStream in = s3.get(prefix + "ten", 10, 5)) {
            assertThat(in.readAllBytes()).isEmpty();
        }
        try (InputStream in = s3.get(prefix + "ten", 8, 5)) {
            assertThat(in.readAllBytes()).hasSize(2);
        }
    }
}
