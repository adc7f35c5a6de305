package io.kbackup.storage.gcs;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupClient;
import io.kbackup.BackupLocation;
import io.kbackup.core.KBackup;
import io.kbackup.testkit.engine.EngineRoundTripContract;
import io.kbackup.testkit.servers.FakeGcsServer;
import io.kbackup.testkit.servers.ServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * DirectEngine backup, restore and delete (batch delete included) through the gcs provider, found
 * by discovery from a location, against a real fake-gcs-server process.
 */
class GcsEngineRoundTripRealIT extends EngineRoundTripContract {

    static final String BUCKET = "kbackup-e2e";

    @RegisterExtension
    static final ServerExtension<FakeGcsServer> GCS = ServerExtension.of(FakeGcsServer::start,
            gcs -> gcs.createBucket(BUCKET));

    @Override
    protected BackupClient engine(KubernetesClient cluster) {
        return KBackup.direct(cluster);
    }

    @Override
    protected BackupLocation location() {
        return GcsFakeServerContractRealIT.location(GCS.get(), BUCKET).build();
    }
}
