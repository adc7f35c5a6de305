package io.kbackup.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.kbackup.BackupLocation;
import io.kbackup.Credentials;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviders;
import io.kbackup.storage.s3.internal.S3StorageProvider;
import io.kbackup.testkit.storage.StorageProviderContract;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The storage contract for the s3 provider against LocalStack's S3, with credentials from
 * LocalStack's STS AssumeRole (external ID, 15-minute sessions). Runs where a Docker engine is
 * available; skipped (disabled) without one.
 */
@Testcontainers(disabledWithoutDocker = true)
class S3LocalStackAssumeRoleContractIT extends StorageProviderContract {

    static final String BUCKET = "kbackup-localstack-role";
    static final String ROLE = "arn:aws:iam::000000000000:role/kbackup";

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

    static BackupLocation location(String bucket) {
        return BackupLocation.s3(bucket)
                .region(LOCALSTACK.getRegion())
                .endpoint(LOCALSTACK.getEndpoint().toString())
                .config(S3Config.S3_FORCE_PATH_STYLE, "true")
                .config(S3Config.STS_ENDPOINT, LOCALSTACK.getEndpoint().toString())
                .config(S3Config.PART_SIZE_BYTES, String.valueOf(S3Config.MIN_PART_SIZE_BYTES))
                .credentials(Credentials.awsAssumeRole(ROLE, "kbackup-external-id", Duration.ofMinutes(15),
                        Credentials.awsStatic(LOCALSTACK.getAccessKey(), LOCALSTACK.getSecretKey())))
                .build();
    }

    @Override
    protected StorageProvider createProvider() {
        return StorageProviders.discover().open(location(BUCKET));
    }

    @Override
    protected StorageProvider createProviderForMissingBucket() {
        return StorageProviders.discover().open(location("kbackup-localstack-role-missing"));
    }

    @Test
    void requestsAreSignedWithTheAssumedRolesTemporaryCredentials() {
        try (S3StorageProvider s3 = (S3StorageProvider) createProvider()) {
            AwsCredentials resolved = s3.clients().credentialsProvider().resolveCredentials();
            assertThat(resolved).isInstanceOf(AwsSessionCredentials.class);
            assertThat(resolved.accessKeyId()).isNotEqualTo(LOCALSTACK.getAccessKey());
            assertThat(s3.validate().problems()).isEmpty();
        }
    }
}
