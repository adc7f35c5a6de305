package io.kbackup.storage.gcs;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupClient;
import io.kbackup.BackupLocation;
import io.kbackup.core.KBackup;
import io.kbackup.testkit.engine.EngineRoundTripContract;
import io.kbackup.testkit.servers.FakeGcsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * DirectEngine backup, restore and delete (batch delete included) through the gcs provider, found
 * by discovery from a location, against a real fake-gcs-server process.
 */
class GcsEngineRoundTripRealIT extends EngineRoundTripContract {

    static final String BUCKET = "kbackup-e2e";

    private static FakeGcsServer gcs;

    @BeforeAll
    static void startServer() {
        gcs = FakeGcsServer.start();
        gcs.createBucket(BUCKET);
    }

    @AfterAll
    static void stopServer() {
        if (gcs != null) {
            gcs.close();
        }
    }

    @Override
    protected BackupClient engine(KubernetesClient cluster) {
        return KBackup.direct(cluster);
    }

    @Override
    protected BackupLocation location() {
        return GcsFakeServerContractRealIT.location(gcs, BUCKET).build();
    }
}
