package io.kbackup.testkit.storage;

import io.kbackup.spi.StorageProvider;
import java.util.UUID;

class InMemoryStorageProviderTest extends StorageProviderContract {

    @Override
    protected StorageProvider createProvider() {
        return InMemoryStorageProvider.create("contract-" + UUID.randomUUID());
    }

    @Override
    protected StorageProvider createProviderForMissingBucket() {
        return InMemoryStorageProvider.attach("missing-" + UUID.randomUUID());
    }
}
