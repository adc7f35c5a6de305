package io.kbackup.testkit.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kbackup.BackupLocation;
import io.kbackup.Credentials;
import io.kbackup.InvalidPlanException;
import io.kbackup.NotFoundException;
import io.kbackup.ValidationResult;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviders;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InMemoryBucketsTest {

    private final String bucket = "buckets-" + UUID.randomUUID();

    @AfterEach
    void tearDown() {
        InMemoryStorageProvider.deleteBucket(bucket);
    }

    @Test
    void instancesWithOneBucketNameShareBlobs() {
        StorageProvider first = InMemoryStorageProvider.create(bucket);
        StorageProvider second = InMemoryStorageProvider.create(bucket);
        first.put("backups/b1/velero-backup.json", bytes("{}"));
        assertThat(second.getBytes("backups/b1/velero-backup.json")).isEqualTo(bytes("{}"));
        assertThat(InMemoryStorageProvider.create("other-" + UUID.randomUUID()).exists("backups/b1/velero-backup.json"))
                .isFalse();
    }

    @Test
    void clearEmptiesTheBucketButKeepsIt() {
        StorageProvider storage = InMemoryStorageProvider.create(bucket);
        storage.put("a", bytes("a"));
        InMemoryStorageProvider.clear(bucket);
        assertThat(storage.exists("a")).isFalse();
        assertThat(InMemoryStorageProvider.bucketExists(bucket)).isTrue();
        assertThat(storage.validate().isOk()).isTrue();
    }

    @Test
    void deletedBucketIsReportedMissingAndOperationsNameIt() {
        StorageProvider storage = InMemoryStorageProvider.create(bucket);
        InMemoryStorageProvider.deleteBucket(bucket);
        assertThat(storage.validate().has(ValidationResult.Kind.BUCKET_MISSING)).isTrue();
        assertThatThrownBy(() -> storage.put("a", bytes("a")))
                .isInstanceOf(NotFoundException.class)
                .satisfies(e -> assertThat(((NotFoundException) e).name()).isEqualTo(bucket));
    }

    @Test
    void factoryIsDiscoveredByIdMemory() {
        assertThat(StorageProviders.discover().factory("memory")).isInstanceOf(InMemoryStorageFactory.class);
        assertThat(StorageProviders.discover().installedIds()).contains("memory");
    }

    @Test
    void locationWithProviderMemoryOpensTheNamedBucket() {
        InMemoryStorageProvider.create(bucket).put("x", bytes("x"));
        BackupLocation location = BackupLocation.builder().provider("memory").bucket(bucket).build();
        try (StorageProvider storage = StorageProviders.discover().open(location)) {
            assertThat(storage.id()).isEqualTo("memory");
            assertThat(storage.getBytes("x")).isEqualTo(bytes("x"));
        }
        assertThat(location.validate().isOk()).isTrue();
    }

    @Test
    void createBucketFalseLeavesAMissingBucketMissing() {
        BackupLocation location = BackupLocation.builder().provider("memory").bucket(bucket)
                .config(InMemoryStorageFactory.CREATE_BUCKET, "false").build();
        assertThat(location.validate().has(ValidationResult.Kind.BUCKET_MISSING)).isTrue();
        assertThat(InMemoryStorageProvider.bucketExists(bucket)).isFalse();
    }

    @Test
    void factoryRefusesCredentialsAndBadConfig() {
        BackupLocation withKeys = BackupLocation.builder().provider("memory").bucket(bucket)
                .credentials(Credentials.awsStatic("AKIAEXAMPLE", "s3cr3t-value")).build();
        assertThatThrownBy(() -> StorageProviders.discover().open(withKeys))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("aws-static")
                .hasMessageNotContaining("s3cr3t-value");
        BackupLocation badFlag = BackupLocation.builder().provider("memory").bucket(bucket)
                .config(InMemoryStorageFactory.CREATE_BUCKET, "yes").build();
        assertThatThrownBy(() -> StorageProviders.discover().open(badFlag))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("createBucket");
        BackupLocation unknownKey = BackupLocation.builder().provider("memory").bucket(bucket)
                .config("region", "x").build();
        assertThatThrownBy(() -> StorageProviders.discover().open(unknownKey))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("[createBucket]");
    }

    @Test
    void writerRefusesWritesAfterCommit() throws Exception {
        StorageProvider storage = InMemoryStorageProvider.create(bucket);
        var w = storage.openWriter("k");
        w.write(1);
        w.commit();
        assertThatThrownBy(() -> w.write(2)).isInstanceOf(java.io.IOException.class);
        assertThat(storage.getBytes("k")).containsExactly(1);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
