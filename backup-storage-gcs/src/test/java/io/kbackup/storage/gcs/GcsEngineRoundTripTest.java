package io.kbackup.storage.gcs;

import com.google.cloud.storage.Storage;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupClient;
import io.kbackup.BackupLocation;
import io.kbackup.core.KBackup;
import io.kbackup.core.direct.DirectOptions;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviderFactory;
import io.kbackup.spi.StorageProviders;
import io.kbackup.testkit.engine.EngineRoundTripContract;
import java.util.Set;

/**
 * DirectEngine backup and restore through the gcs provider over google-cloud-nio's in-memory
 * {@code LocalStorageHelper}, fast and without a server. The fake has no batch delete, so the
 * deletion test is skipped by name; {@link GcsEngineRoundTripRealIT} runs all of it against a real
 * fake-gcs-server.
 */
class GcsEngineRoundTripTest extends EngineRoundTripContract {

    private static final Storage FAKE = LocalStorageHelper.getOptions().getService();

    /** The gcs provider over the in-memory fake, passed explicitly (it wins over discovery). */
    private static final StorageProviderFactory FAKE_GCS = new StorageProviderFactory() {
        @Override
        public String id() {
            return "gcs";
        }

        @Override
        public Set<String> configKeys() {
            return Set.of();
        }

        @Override
        public StorageProvider create(BackupLocation location) {
            return GcsStorageProvider.of(FAKE, location.bucket());
        }
    };

    @Override
    protected BackupClient engine(KubernetesClient cluster) {
        return KBackup.direct(cluster, DirectOptions.builder().storageProviders(StorageProviders.discover().with(FAKE_GCS)).build());
    }

    @Override
    protected BackupLocation location() {
        return BackupLocation.gcs("kbackup-e2e").build();
    }

    @Override
    protected boolean batchDeleteSupported() {
        return false;
    }
}
