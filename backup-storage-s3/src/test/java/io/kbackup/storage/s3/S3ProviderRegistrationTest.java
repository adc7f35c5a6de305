package io.kbackup.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kbackup.BackupLocation;
import io.kbackup.Credentials;
import io.kbackup.InvalidPlanException;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviders;
import io.kbackup.storage.s3.internal.S3Settings;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/** The s3 provider is found by id, and its settings are checked before anything is contacted. */
class S3ProviderRegistrationTest {

    @Test
    void isFoundThroughServiceLoaderUnderS3() {
        assertThat(StorageProviders.discover().factory("s3")).isInstanceOf(S3StorageProviderFactory.class);
        assertThat(StorageProviders.discover().installedIds()).contains("s3");
    }

    @Test
    void opensALocationWithoutContactingAws() {
        try (StorageProvider p = StorageProviders.discover().open(BackupLocation.s3("bucket").build())) {
            assertThat(p.id()).isEqualTo("s3");
        }
    }

    @Test
    void unknownConfigKeyIsRefusedWithTheValidKeys() {
        BackupLocation location = BackupLocation.s3("bucket").config("s3ForcePathStile", "true").build();
        assertThatThrownBy(() -> StorageProviders.discover().open(location))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("s3ForcePathStile")
                .hasMessageContaining("s3ForcePathStyle")
                .hasMessageContaining("kmsKeyId");
    }

    @Test
    void defaultsFollowVelero() {
        S3Settings s = S3Settings.of(BackupLocation.s3("bucket").build());
        assertThat(s.region()).isEqualTo("us-east-1");
        assertThat(s.pathStyle()).isFalse();
        assertThat(s.endpoint()).isNull();
        assertThat(s.partSize()).isEqualTo(8 * 1024 * 1024);
        assertThat(s.checksumAlgorithm()).isEqualTo(ChecksumAlgorithm.CRC32);
        assertThat(s.serverSideEncryption()).isNull();
    }

    @Test
    void veleroConfigKeysAreRead() {
        S3Settings s = S3Settings.of(BackupLocation.s3("bucket")
                .config("region", "eu-central-1")
                .config("s3Url", "https://s3.example.com:9000")
                .config("s3ForcePathStyle", "true")
                .config("kmsKeyId", "alias/backups")
                .config("checksumAlgorithm", "")
                .config("partSizeBytes", "16777216")
                .build());
        assertThat(s.region()).isEqualTo("eu-central-1");
        assertThat(s.endpoint()).hasToString("https://s3.example.com:9000");
        assertThat(s.pathStyle()).isTrue();
        assertThat(s.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
        assertThat(s.kmsKeyId()).isEqualTo("alias/backups");
        assertThat(s.checksumAlgorithm()).isNull();
        assertThat(s.partSize()).isEqualTo(16 * 1024 * 1024);
    }

    @Test
    void badSettingsAreRefusedNamingTheKey() {
        assertRefused(BackupLocation.s3("b").config("s3ForcePathStyle", "yes"), "s3ForcePathStyle", "'true' or 'false'");
        assertRefused(BackupLocation.s3("b").config("serverSideEncryption", "aws:kms:dsse-x"), "serverSideEncryption", "AES256");
        assertRefused(BackupLocation.s3("b").config("serverSideEncryption", "AES256").config("kmsKeyId", "k"),
                "kmsKeyId", "aws:kms");
        assertRefused(BackupLocation.s3("b").config("partSizeBytes", "1048576"), "partSizeBytes", "5 MiB");
        assertRefused(BackupLocation.s3("b").config("partSizeBytes", "8MB"), "partSizeBytes", "whole number");
        assertRefused(BackupLocation.s3("b").config("checksumAlgorithm", "MD5"), "checksumAlgorithm", "CRC32");
        assertRefused(BackupLocation.s3("b").config("s3Url", "minio:9000"), "s3Url", "https://");
        assertRefused(BackupLocation.s3("b").endpoint("https://a.example.com").config("s3Url", "https://b.example.com"),
                "s3Url", "keep one");
        assertRefused(BackupLocation.s3("b").region("eu-west-1").config("region", "us-west-2"), "region", "keep one");
        assertRefused(BackupLocation.s3("b").credentials(Credentials.azureSas("sig=secret-sas")), "azure-sas",
                "awsStatic");
        assertRefused(BackupLocation.s3("b").config("profile", "backup").credentials(Credentials.awsStatic("AKIA1", "s")),
                "profile", "default credential chain");
    }

    @Test
    void badCaCertIsRefusedWhenTheProviderIsMade() {
        BackupLocation location = BackupLocation.s3("b").config("caCert", "not a certificate").build();
        assertThatThrownBy(() -> new S3StorageProviderFactory().create(location))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("caCert")
                .hasMessageContaining("BEGIN CERTIFICATE");
    }

    @Test
    void assumeRoleAndWebIdentityAreAccepted() {
        try (StorageProvider p = new S3StorageProviderFactory().create(BackupLocation.s3("b")
                .credentials(Credentials.awsAssumeRole("arn:aws:iam::123456789012:role/r", "ext", Duration.ofHours(2), null))
                .build())) {
            assertThat(p.toString()).contains("aws-assume-role").doesNotContain("ext");
        }
    }

    private static void assertRefused(BackupLocation.Builder b, String... fragments) {
        assertThatThrownBy(() -> new S3StorageProviderFactory().create(b.build()))
                .isInstanceOf(InvalidPlanException.class)
                .satisfies(e -> {
                    for (String f : fragments) {
                        assertThat(e.getMessage()).contains(f);
                    }
                    assertThat(e.getMessage()).doesNotContain("secret-sas");
                });
    }

    @Test
    void theAwsKmsKeyProviderIsRegisteredForServiceLoader() {
        org.assertj.core.api.Assertions.assertThat(io.kbackup.spi.KeyProviders.discover().provider(AwsKmsKeyProvider.ID, "k"))
                .isInstanceOf(AwsKmsKeyProvider.class);
    }
}
