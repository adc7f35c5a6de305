package io.kbackup.storage.minio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kbackup.BackupLocation;
import io.kbackup.Credentials;
import io.kbackup.InvalidPlanException;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviders;
import io.kbackup.storage.minio.internal.MinioSettings;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The minio provider is found by id, and its settings are checked before anything is contacted. */
class MinioProviderRegistrationTest {

    @Test
    void isFoundThroughServiceLoaderUnderMinio() {
        assertThat(StorageProviders.discover().factory("minio")).isInstanceOf(MinioStorageProviderFactory.class);
    }

    @Test
    void opensALocationWithoutContactingTheServer() {
        try (StorageProvider p = StorageProviders.discover().open(BackupLocation.minio("https://minio.invalid:9000", "b")
                .credentials(Credentials.awsStatic("access", "secret-value")).build())) {
            assertThat(p.id()).isEqualTo("minio");
            assertThat(p.toString()).contains("https://minio.invalid:9000").doesNotContain("secret-value");
        }
    }

    @Test
    void sharesTheS3ProvidersKeyNames() {
        assertThat(MinioConfig.KEYS).containsExactlyInAnyOrder("region", "s3ForcePathStyle", "s3Url", "caCert",
                "insecureSkipTLSVerify", "partSizeBytes");
    }

    @Test
    void defaultsArePathStyleAndUsEast1() {
        MinioSettings s = MinioSettings.of(BackupLocation.minio("http://127.0.0.1:9000", "b").build());
        assertThat(s.pathStyle()).isTrue();
        assertThat(s.region()).isEqualTo("us-east-1");
        assertThat(s.partSize()).isEqualTo(8 * 1024 * 1024);
    }

    @Test
    void s3UrlStandsInForTheEndpoint() {
        MinioSettings s = MinioSettings.of(BackupLocation.builder().provider("minio").bucket("b")
                .config("s3Url", "https://minio.example.com").build());
        assertThat(s.endpoint()).hasToString("https://minio.example.com");
    }

    @Test
    void badSettingsAreRefusedNamingTheKey() {
        assertRefused(BackupLocation.builder().provider("minio").bucket("b"), "endpoint", "s3Url");
        assertRefused(BackupLocation.minio("http://h:9000", "b").config("s3ForcePathStyle", "1"), "s3ForcePathStyle");
        assertRefused(BackupLocation.minio("http://h:9000", "b").config("partSizeBytes", "100"), "partSizeBytes", "5 MiB");
        assertRefused(BackupLocation.minio("http://h:9000", "b").config("caCert", "garbage"), "caCert", "PEM");
        assertRefused(BackupLocation.minio("http://h:9000", "b")
                .credentials(Credentials.awsWebIdentity("arn:aws:iam::1:role/r", Path.of("/t"))), "aws-web-identity", "s3");
        assertThatThrownBy(() -> StorageProviders.discover().open(BackupLocation.minio("http://h:9000", "b")
                .config("kmsKeyId", "k").build()))
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("kmsKeyId").hasMessageContaining("caCert");
    }

    private static void assertRefused(BackupLocation.Builder b, String... fragments) {
        assertThatThrownBy(() -> new MinioStorageProviderFactory().create(b.build()))
                .isInstanceOf(InvalidPlanException.class)
                .satisfies(e -> {
                    for (String f : fragments) {
                        assertThat(e.getMessage()).contains(f);
                    }
                });
    }
}
