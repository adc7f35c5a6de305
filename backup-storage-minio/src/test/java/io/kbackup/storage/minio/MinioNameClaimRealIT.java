package io.kbackup.storage.minio;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupClient;
import io.kbackup.BackupLocation;
import io.kbackup.core.KBackup;
import io.kbackup.testkit.engine.NameClaimContract;
import io.kbackup.testkit.servers.MinioServer;
import io.kbackup.testkit.servers.ServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two DirectEngines racing on one backup name through the minio provider, against a real MinIO server. */
class MinioNameClaimRealIT extends NameClaimContract {

    @RegisterExtension
    static final ServerExtension<MinioServer> MINIO = ServerExtension.of(MinioServer::start,
            minio -> minio.createBucket("kbackup-claim"));

    @Override
    protected BackupClient engine(KubernetesClient cluster) {
        return KBackup.direct(cluster);
    }

    @Override
    protected BackupLocation location() {
        return MinioProviderContractRealIT.rootLocation(MINIO.get(), "kbackup-claim").build();
    }
}
