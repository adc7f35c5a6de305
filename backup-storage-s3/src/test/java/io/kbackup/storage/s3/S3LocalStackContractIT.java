package io.kbackup.storage.s3;

import io.kbackup.BackupLocation;
import io.kbackup.Credentials;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviders;
import io.kbackup.testkit.storage.StorageProviderContract;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The storage contract for the s3 provider against LocalStack's S3 with static keys. Runs where a
 * Docker engine is available; skipped (disabled) without one.
 */
@Testcontainers(disabledWithoutDocker = true)
class S3LocalStackContractIT extends StorageProviderContract {

    static final String BUCKET = "kbackup-localstack";

    @Container
    static final LocalStackContainer LOCALSTACK = new LocalStackContainer(
            DockerImageName.parse("localstack/localstack:4.4.0")).withServices("s3", "sts");

    @BeforeAll
    static void createBucket() {
        try (S3Client raw = S3Client.builder()
                .endpointOverride(LOCALSTACK.getEndpoint())
                .region(Region.of(LOCALSTACK.getRegion()))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(LOCALSTACK.getAccessKey(), LOCALSTACK.getSecretKey())))
                .build()) {
            raw.createBucket(b -> b.bucket(BUCKET));
        }
    }

    static BackupLocation.Builder location(String bucket) {
        return BackupLocation.s3(bucket)
                .region(LOCALSTACK.getRegion())
                .endpoint(LOCALSTACK.getEndpoint().toString())
                .config(S3Config.S3_FORCE_PATH_STYLE, "true")
                .config(S3Config.PART_SIZE_BYTES, String.valueOf(S3Config.MIN_PART_SIZE_BYTES))
                .credentials(Credentials.awsStatic(LOCALSTACK.getAccessKey(), LOCALSTACK.getSecretKey()));
    }

    @Override
    protected StorageProvider createProvider() {
        return StorageProviders.discover().open(location(BUCKET).build());
    }

    @Override
    protected StorageProvider createProviderForMissingBucket() {
        return StorageProviders.discover().open(location("kbackup-localstack-missing").build());
    }
}
