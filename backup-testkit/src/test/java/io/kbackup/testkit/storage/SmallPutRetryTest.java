package io.kbackup.testkit.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kbackup.StorageDeniedException;
import io.kbackup.StorageException;
import io.kbackup.spi.StorageProvider;
import io.kbackup.testkit.storage.FaultInjectingStorageProvider.Operation;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link StorageProvider#put(String, byte[])} retries a retryable failure: one hiccup must not discard a backup. */
class SmallPutRetryTest {

    private static final String KEY = "backups/b1/velero-backup.json";
    private static final byte[] DATA = "{\"status\":{\"phase\":\"Completed\"}}".getBytes(StandardCharsets.UTF_8);

    private final FaultInjectingStorageProvider storage =
            FaultInjectingStorageProvider.wrap(InMemoryStorageProvider.create("retry-" + UUID.randomUUID()));

    @Test
    void oneTransientFailureOfASmallPutIsRetried() {
        storage.failCommits(KEY::equals, 1);
        storage.put(KEY, DATA);
        assertThat(storage.getBytes(KEY)).isEqualTo(DATA);
        assertThat(storage.calls(Operation.COMMIT)).isEqualTo(2);
    }

    @Test
    void aFailureThatLastsIsReportedAfterTheLastAttempt() {
        storage.failCommits(KEY::equals);
        assertThatThrownBy(() -> storage.put(KEY, DATA)).isInstanceOf(StorageException.class)
                .hasMessageContaining(FaultInjectingStorageProvider.MARKER);
        assertThat(storage.calls(Operation.COMMIT)).isEqualTo(StorageProvider.SMALL_PUT_ATTEMPTS);
        assertThat(storage.exists(KEY)).isFalse();
    }

    @Test
    void aFailureThatIsNotRetryableIsNotRetried() {
        AtomicInteger opened = new AtomicInteger();
        StorageProvider denying = (StorageProvider) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {StorageProvider.class}, (proxy, method, args) -> {
                    if (method.isDefault()) {
                        return InvocationHandler.invokeDefault(proxy, method, args);
                    }
                    if (method.getName().equals("openWriter")) {
                        opened.incrementAndGet();
                        throw new StorageDeniedException("denied", null);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        assertThatThrownBy(() -> denying.put(KEY, DATA)).isInstanceOf(StorageDeniedException.class);
        assertThat(opened).hasValue(1);
    }
}
