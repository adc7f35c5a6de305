package io.kbackup.storage.azure;

import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviders;
import io.kbackup.testkit.servers.ServerExtension;
import io.kbackup.testkit.storage.StorageProviderContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The storage contract against Azurite (npm, started per class); every feature supported. */
class AzureStorageProviderContractRealIT extends StorageProviderContract {

    private static final String CONTAINER = "contract";
    @RegisterExtension
    static final ServerExtension<Azurite> AZURITE = Azurite.withContainer(CONTAINER);

    @Override
    protected StorageProvider createProvider() {
        return StorageProviders.discover().open(AZURITE.get().location(CONTAINER).build());
    }

    @Override
    protected StorageProvider createProviderForMissingBucket() {
        return StorageProviders.discover().open(AZURITE.get().location("no-such-container").build());
    }
}
