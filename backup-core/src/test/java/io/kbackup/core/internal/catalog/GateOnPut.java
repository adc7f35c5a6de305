package io.kbackup.core.internal.catalog;

import io.kbackup.core.storage.LocalFolderStorageFactory;
import io.kbackup.spi.StorageProviderFactory;
import io.kbackup.testkit.storage.WrappedStorageFactory;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;

/**
 * The local-folder provider (same id, so the locations stay plain local folders), except that
 * storing a key the predicate names waits until the test opens the gate: the operation stays
 * running for as long as the test needs.
 */
final class GateOnPut {
    final CountDownLatch gate = new CountDownLatch(1);
    final CountDownLatch reached = new CountDownLatch(1);
    final StorageProviderFactory factory;

    GateOnPut(Predicate<String> keys) {
        this.factory = WrappedStorageFactory.of(new LocalFolderStorageFactory(),
                WrappedStorageFactory.gateWrites(keys, reached, gate, Duration.ofSeconds(60)));
    }
}
