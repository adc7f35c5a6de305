package io.kbackup.storage.azure;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupClient;
import io.kbackup.BackupLocation;
import io.kbackup.core.KBackup;
import io.kbackup.testkit.engine.EngineRoundTripContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** DirectEngine backup, restore and delete through the azure provider, against Azurite. */
class AzureEngineRoundTripRealIT extends EngineRoundTripContract {

    private static final String CONTAINER = "e2e";
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
    protected BackupClient engine(KubernetesClient cluster) {
        return KBackup.direct(cluster);
    }

    @Override
    protected BackupLocation location() {
        return azurite.location(CONTAINER).build();
    }
}
