package io.kbackup.storage.azure;

import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviders;
import io.kbackup.testkit.storage.StorageProviderContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The storage contract against Azurite (npm, started per class); every feature supported. */
class AzureStorageProviderContractRealIT extends StorageProviderContract {

    private static final String CONTAINER = "contract";
    private static Azurite azurite;

    @BeforeAll
    static void startAzurite() throws Exception {
        azurite = Azurite.start();
        azurite.client().createBlobContainer(CONTAINER);
    }

    @AfterAll
    static void stopAzurite() {
        if (azurite != null) {
            azurite.close();
        }
    }

    @Override
    protected StorageProvider createProvider() {
        return StorageProviders.discover().open(azurite.location(CONTAINER).build());
    }

    @Override
    protected StorageProvider createProviderForMissingBucket() {
        return StorageProviders.discover().open(azurite.location("no-such-container").build());
    }
}
