package io.kbackup.storage.azure;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupClient;
import io.kbackup.BackupLocation;
import io.kbackup.core.KBackup;
import io.kbackup.testkit.engine.EngineRoundTripContract;
import io.kbackup.testkit.servers.ServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** DirectEngine backup, restore and delete through the azure provider, against Azurite. */
class AzureEngineRoundTripRealIT extends EngineRoundTripContract {

    private static final String CONTAINER = "e2e";
    @RegisterExtension
    static final ServerExtension<Azurite> AZURITE = Azurite.withContainer(CONTAINER);

    @Override
    protected BackupClient engine(KubernetesClient cluster) {
        return KBackup.direct(cluster);
    }

    @Override
    protected BackupLocation location() {
        return AZURITE.get().location(CONTAINER).build();
    }
}
