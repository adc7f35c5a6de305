package io.kbackup.storage.azure;

import static io.kbackup.testkit.storage.TestBytes.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlockListType;
import io.kbackup.BackupLocation;
import io.kbackup.Credentials;
import io.kbackup.NotFoundException;
import io.kbackup.StorageDeniedException;
import io.kbackup.StorageUnreachableException;
import io.kbackup.ValidationResult;
import io.kbackup.spi.BlobInfo;
import io.kbackup.spi.BlobWriter;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviders;
import io.kbackup.testkit.servers.ServerExtension;
import io.kbackup.testkit.servers.TestServers;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Azure-specific behaviour against Azurite: blocks, aborts, batches, validation, errors. */
class AzureStorageProviderRealIT {

    static final String CONTAINER = "kbackup-it";
    @RegisterExtension
    static final ServerExtension<Azurite> AZURITE = Azurite.withContainer(CONTAINER);

    private StorageProvider provider(int blockSize) {
        return StorageProviders.discover().open(AZURITE.get().location(CONTAINER)
                .config(AzureConfig.BLOCK_SIZE_IN_BYTES, String.valueOf(blockSize)).build());
    }

    private static String key(String name) {
        return "it/" + UUID.randomUUID() + "/" + name;
    }

    @Test
    void uploadsLargerThanOneBlockAsCommittedBlocks() throws Exception {
        String key = key("big.bin");
        byte[] data = random(5 * 4096 + 123);
        try (StorageProvider storage = provider(4096); BlobWriter w = storage.openWriter(key)) {
            for (int i = 0; i < data.length; i += 1000) {
                w.write(data, i, Math.min(1000, data.length - i));
            }
            BlobInfo info = w.commit();
            assertThat(info.size()).isEqualTo(data.length);
            assertThat(storage.getBytes(key)).isEqualTo(data);
        }
        BlobContainerClient c = AZURITE.get().client().getBlobContainerClient(CONTAINER);
        assertThat(c.getBlobClient(key).getBlockBlobClient().listBlocks(BlockListType.COMMITTED).getCommittedBlocks())
                .hasSize(6);
    }

    @Test
    void roundTripsSizesAroundTheBlockBoundary() throws Exception {
        try (StorageProvider storage = provider(4096)) {
            for (int size : new int[] {4095, 4096, 4097, 8192, 3 * 4096 + 7}) {
                String key = key("edge-" + size);
                byte[] data = random(size);
                try (BlobWriter w = storage.openWriter(key)) {
                    w.write(data);
                    assertThat(w.commit().size()).isEqualTo(size);
                }
                assertThat(storage.getBytes(key)).as("size %d", size).isEqualTo(data);
            }
        }
    }

    @Test
    void abortedWriterLeavesExistingBlobUntouchedAndStagesNothingVisible() throws Exception {
        String key = key("kept.bin");
        try (StorageProvider storage = provider(4096)) {
            storage.put(key, "original".getBytes());
            BlobWriter w = storage.openWriter(key);
            w.write(random(3 * 4096));   // stages two blocks
            w.abort();
            w.close();
            assertThat(new String(storage.getBytes(key))).isEqualTo("original");
            assertThat(storage.head(key)).get().extracting(BlobInfo::size).isEqualTo(8L);

            String fresh = key("never.bin");
            try (BlobWriter w2 = storage.openWriter(fresh)) {
                w2.write(random(3 * 4096));
                // closed without commit
            }
            assertThat(storage.head(fresh)).isEmpty();
            assertThat(storage.list(fresh, null, null, 10).blobs()).isEmpty();
        }
    }

    @Test
    void secondOfTwoMultiBlockWritersToOneKeyFailsClearlyAndTheFirstBlobStaysWhole() throws Exception {
        // Committing a block list discards every other uncommitted block of the blob: a limit of
        // Azure block blobs. The loser gets a typed error; the blob is never a mix.
        String key = key("contended.bin");
        byte[] a = random(3 * 4096 + 1);
        byte[] b = random(3 * 4096 + 2);
        try (StorageProvider storage = provider(4096);
                BlobWriter first = storage.openWriter(key);
                BlobWriter second = storage.openWriter(key)) {
            first.write(a);
            second.write(b);
            first.commit();
            assertThatThrownBy(second::commit)
                    .isInstanceOfSatisfying(io.kbackup.StorageException.class,
                            e -> assertThat(e.getMessage()).contains("another writer", key));
            assertThat(storage.getBytes(key)).isEqualTo(a);
        }
    }

    @Test
    void deletesManyBlobsIgnoringMissingKeys() {
        try (StorageProvider storage = provider(AzureConfig.DEFAULT_BLOCK_SIZE)) {
            String prefix = "it/" + UUID.randomUUID() + "/";
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                String k = prefix + String.format("%03d", i);
                keys.add(k);
                if (i % 3 != 0) {
                    storage.put(k, new byte[] {(byte) i});
                }
            }
            assertThat(storage.listAll(prefix).count()).isEqualTo(20);
            storage.deleteAll(keys);
            assertThat(storage.listAll(prefix)).isEmpty();
        }
    }

    @Test
    void rangedReadOfTheTailReturnsFewerBytes() throws Exception {
        String key = key("range.bin");
        byte[] data = random(10_000);
        try (StorageProvider storage = provider(4096)) {
            storage.put(key, data);
            try (InputStream in = storage.get(key, 9_990, 100)) {
                assertThat(in.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(data, 9_990, 10_000));
            }
            try (InputStream in = storage.get(key, 20_000, 10)) {
                assertThat(in.readAllBytes()).isEmpty();
            }
            assertThatThrownBy(() -> storage.get(key("missing"), 0, 10)).isInstanceOf(NotFoundException.class);
        }
    }

    @Test
    void missingBlobIsNotFoundWithItsKey() {
        String key = key("nothing-here");
        try (StorageProvider storage = provider(4096)) {
            assertThatThrownBy(() -> storage.get(key))
                    .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.name()).isEqualTo(key));
            assertThat(storage.head(key)).isEmpty();
            storage.delete(key);   // not an error
        }
    }

    @Test
    void validateAcceptsAnExistingContainer() {
        try (StorageProvider storage = provider(4096)) {
            assertThat(storage.validate().isOk()).isTrue();
        }
    }

    @Test
    void validateReportsAMissingContainer() {
        ValidationResult r = AZURITE.get().location("no-such-container").build().validate();
        assertThat(r.has(ValidationResult.Kind.BUCKET_MISSING)).as(r.toString()).isTrue();
        assertThat(r.problems().get(0).message()).contains("no-such-container", "ContainerNotFound");
        assertThat(r.problems().get(0).fix()).contains("az storage container create");
    }

    @Test
    void validateReportsAWrongAccountKeyAsBadCredentialsWithoutPrintingIt() {
        String wrongKey = java.util.Base64.getEncoder().encodeToString(random(64));
        BackupLocation location = AZURITE.get().location(CONTAINER)
                .credentials(Credentials.azureAccountKey(Azurite.ACCOUNT, wrongKey)).build();
        ValidationResult r = location.validate();
        assertThat(r.has(ValidationResult.Kind.BAD_CREDENTIALS)).as(r.toString()).isTrue();
        assertThat(r.toString()).doesNotContain(wrongKey).contains("403", "authenticate")
                .doesNotContain("If you are using a StorageSharedKeyCredential");

        try (StorageProvider storage = StorageProviders.discover().open(location)) {
            assertThatThrownBy(() -> storage.getBytes("x"))
                    .isInstanceOfSatisfying(StorageDeniedException.class, e -> {
                        assertThat(e.retryable()).isFalse();
                        assertThat(e.getMessage()).doesNotContain(wrongKey).contains("credentials");
                    });
            assertThat(storage.toString()).doesNotContain(wrongKey);
        }
    }

    private static String sas(String permissions) {
        return AZURITE.get().client().getBlobContainerClient(CONTAINER).generateSas(
                new com.azure.storage.blob.sas.BlobServiceSasSignatureValues(java.time.OffsetDateTime.now().plusHours(1),
                        com.azure.storage.blob.sas.BlobContainerSasPermission.parse(permissions)));
    }

    @Test
    void worksWithAContainerSasToken() throws Exception {
        BackupLocation location = AZURITE.get().location(CONTAINER).credentials(Credentials.azureSas("?" + sas("racwdl"))).build();
        assertThat(location.validate().isOk()).isTrue();
        try (StorageProvider storage = StorageProviders.discover().open(location)) {
            String key = key("sas.txt");
            storage.put(key, "via sas".getBytes());
            assertThat(new String(storage.getBytes(key))).isEqualTo("via sas");
            assertThat(storage.list(key, null, null, 10).blobs()).extracting(BlobInfo::key).containsExactly(key);
            storage.delete(key);
            assertThat(storage.exists(key)).isFalse();
        }
    }

    @Test
    void sasWithoutListPermissionIsAccessDeniedAndWritesAreRefused() {
        String token = sas("r");
        BackupLocation location = AZURITE.get().location(CONTAINER).credentials(Credentials.azureSas(token)).build();
        ValidationResult r = location.validate();
        assertThat(r.has(ValidationResult.Kind.ACCESS_DENIED)).as(r.toString()).isTrue();
        assertThat(r.toString()).doesNotContain(token).contains("AuthorizationPermissionMismatch", "not authorized");
        try (StorageProvider storage = StorageProviders.discover().open(location)) {
            assertThatThrownBy(() -> storage.put(key("denied.txt"), new byte[] {1}))
                    .isInstanceOfSatisfying(StorageDeniedException.class, e -> {
                        assertThat(e.retryable()).isFalse();
                        assertThat(e.getMessage()).doesNotContain(token);
                    });
        }
    }

    @Test
    void sasWithAForgedSignatureIsBadCredentials() {
        String token = sas("racwdl").replaceAll("sig=[^&]+", "sig=Zm9yZ2VkLXNpZ25hdHVyZQ%3D%3D");
        ValidationResult r = AZURITE.get().location(CONTAINER).credentials(Credentials.azureSas(token)).build().validate();
        assertThat(r.has(ValidationResult.Kind.BAD_CREDENTIALS)).as(r.toString()).isTrue();
        assertThat(r.toString()).doesNotContain("Zm9yZ2VkLXNpZ25hdHVyZQ");
    }

    @Test
    void validateReportsAClosedPortAsUnreachableQuickly() throws Exception {
        int closed = TestServers.freePort();
        BackupLocation location = AZURITE.get().location(CONTAINER)
                .endpoint("http://127.0.0.1:" + closed + "/" + Azurite.ACCOUNT).build();
        long start = System.nanoTime();
        ValidationResult r = location.validate();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(r.has(ValidationResult.Kind.UNREACHABLE)).as(r.toString()).isTrue();
        assertThat(r.problems().get(0).message()).contains("127.0.0.1:" + closed);
    }

    @Test
    void unreachableEndpointFailsOperationsAsRetryable() throws Exception {
        int closed = TestServers.freePort();
        try (StorageProvider storage = StorageProviders.discover().open(AZURITE.get().location(CONTAINER)
                .endpoint("http://127.0.0.1:" + closed + "/" + Azurite.ACCOUNT).build())) {
            assertThatThrownBy(() -> storage.head("k"))
                    .isInstanceOfSatisfying(StorageUnreachableException.class, e -> assertThat(e.retryable()).isTrue());
        }
    }
}
