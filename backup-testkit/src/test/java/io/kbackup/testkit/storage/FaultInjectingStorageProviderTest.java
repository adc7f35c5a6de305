package io.kbackup.testkit.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kbackup.StorageDeniedException;
import io.kbackup.StorageUnreachableException;
import io.kbackup.spi.BlobWriter;
import io.kbackup.spi.StorageProvider;
import io.kbackup.testkit.storage.FaultInjectingStorageProvider.Operation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class FaultInjectingStorageProviderTest {

    private String bucket;
    private InMemoryStorageProvider inner;
    private FaultInjectingStorageProvider storage;

    @BeforeEach
    void setUp() {
        bucket = "faults-" + UUID.randomUUID();
        inner = InMemoryStorageProvider.create(bucket);
        storage = FaultInjectingStorageProvider.wrap(inner);
    }

    @AfterEach
    void tearDown() {
        InMemoryStorageProvider.deleteBucket(bucket);
    }

    @Test
    void writerFailsAfterTheGivenBytesAndLeavesNothingVisible() throws IOException {
        storage.failWritesAfter(100, key -> key.endsWith(".tar.gz"));
        try (BlobWriter w = storage.openWriter("backups/b1/b1.tar.gz")) {
            w.write(new byte[60]);
            w.write(new byte[30]);
            assertThatThrownBy(() -> w.write(new byte[30]))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(FaultInjectingStorageProvider.MARKER)
                    .hasMessageContaining("after 100 bytes");
            assertThatThrownBy(() -> w.write(1)).isInstanceOf(IOException.class);
        }
        assertThat(inner.exists("backups/b1/b1.tar.gz")).isFalse();
        assertThat(storage.bytesWritten()).isEqualTo(100);
        assertThat(storage.calls(Operation.ABORT)).isEqualTo(1);
    }

    @Test
    void writerFaultSparesKeysThatDoNotMatch() {
        storage.failWritesAfter(0, key -> key.endsWith(".tar.gz"));
        storage.put("backups/b1/velero-backup.json", bytes("{}"));
        assertThat(inner.getBytes("backups/b1/velero-backup.json")).isEqualTo(bytes("{}"));
        assertThatThrownBy(() -> storage.put("backups/b1/b1.tar.gz", new byte[1]))
                .hasRootCauseInstanceOf(IOException.class);
    }

    @Test
    void failedCommitLeavesNothingAndKeepsThePreviousBlob() throws IOException {
        inner.put("k", bytes("old"));
        storage.failCommits(key -> key.equals("k"));
        try (BlobWriter w = storage.openWriter("k")) {
            w.write(bytes("new content"));
            assertThatThrownBy(w::commit).isInstanceOf(IOException.class)
                    .hasMessageContaining(FaultInjectingStorageProvider.MARKER);
            assertThat(w.committed()).isFalse();
        }
        assertThat(inner.getBytes("k")).isEqualTo(bytes("old"));
        assertThat(storage.calls(Operation.COMMIT)).isEqualTo(1);
    }

    @Test
    void getsOfMatchingKeysFailWithRetryableUnreachable() {
        inner.put("a/1", bytes("1"));
        inner.put("b/2", bytes("2"));
        storage.failGets(key -> key.startsWith("a/"));
        assertThatThrownBy(() -> storage.get("a/1"))
                .isInstanceOf(StorageUnreachableException.class)
                .satisfies(e -> assertThat(((StorageUnreachableException) e).retryable()).isTrue());
        assertThatThrownBy(() -> storage.get("a/1", 0, 1)).isInstanceOf(StorageUnreachableException.class);
        assertThat(storage.getBytes("b/2")).isEqualTo(bytes("2"));
        assertThat(storage.calls(Operation.GET)).isEqualTo(2);
        assertThat(storage.calls(Operation.GET_RANGE)).isEqualTo(1);
    }

    @Test
    void faultWithACountFiresThatManyTimesThenCallsSucceed() {
        inner.put("x", bytes("x"));
        storage.failGets(key -> true, 2);
        assertThatThrownBy(() -> storage.getBytes("x")).isInstanceOf(StorageUnreachableException.class);
        assertThatThrownBy(() -> storage.getBytes("x")).isInstanceOf(StorageUnreachableException.class);
        assertThat(storage.getBytes("x")).isEqualTo(bytes("x"));
    }

    @Test
    void listsOfMatchingPrefixesFailIncludingListAll() {
        inner.put("backups/b1/x", bytes("x"));
        storage.failLists(prefix -> prefix.startsWith("backups/"));
        assertThatThrownBy(() -> storage.listAll("backups/").count()).isInstanceOf(StorageUnreachableException.class);
        assertThat(storage.listAll("restores/").count()).isZero();
        assertThat(storage.calls(Operation.LIST)).isEqualTo(2);
    }

    @Test
    void readsCanFailWithAGivenException() {
        inner.put("secret/x", bytes("x"));
        storage.failReads(key -> key.startsWith("secret"), key -> new StorageDeniedException("denied " + key, null));
        assertThatThrownBy(() -> storage.get("secret/x")).isInstanceOf(StorageDeniedException.class).hasMessage("denied secret/x");
        assertThatThrownBy(() -> storage.exists("secret/x")).isInstanceOf(StorageDeniedException.class);
        assertThatThrownBy(() -> storage.list("secret", null, null, 10)).isInstanceOf(StorageDeniedException.class);
    }

    @Test
    void deleteAllChecksEveryKeyBeforeDeletingAny() {
        inner.put("a", bytes("a"));
        inner.put("b", bytes("b"));
        storage.failDeletes(key -> key.equals("b"));
        assertThatThrownBy(() -> storage.deleteAll(List.of("a", "b"))).isInstanceOf(StorageUnreachableException.class);
        assertThat(inner.exists("a")).isTrue();
        storage.reset();
        storage.deleteAll(List.of("a", "b"));
        assertThat(inner.exists("a")).isFalse();
        assertThat(inner.exists("b")).isFalse();
    }

    @Test
    void resetRemovesFaultsAndCountsAreKeptUntilResetCounts() {
        inner.put("x", bytes("x"));
        storage.failGets(key -> true).failHeads(key -> true);
        assertThatThrownBy(() -> storage.head("x")).isInstanceOf(StorageUnreachableException.class);
        storage.reset();
        assertThat(storage.head("x")).isPresent();
        assertThat(storage.calls(Operation.HEAD)).isEqualTo(2);
        storage.resetCounts();
        assertThat(storage.calls(Operation.HEAD)).isZero();
    }

    @Test
    void refusesNonsenseCounts() {
        assertThatThrownBy(() -> storage.failGets(k -> true, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> storage.failWritesAfter(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Without faults the wrapper is transparent: it passes the whole contract. */
    @Nested
    class WithoutFaults extends StorageProviderContract {
        @Override
        protected StorageProvider createProvider() {
            return FaultInjectingStorageProvider.wrap(InMemoryStorageProvider.create("wrapped-" + UUID.randomUUID()));
        }

        @Override
        protected StorageProvider createProviderForMissingBucket() {
            return FaultInjectingStorageProvider.wrap(InMemoryStorageProvider.attach("missing-" + UUID.randomUUID()));
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
