package io.kbackup.core.engine;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupClient;
import io.kbackup.BackupLocation;
import io.kbackup.core.KBackup;
import io.kbackup.testkit.cluster.RealCluster;
import io.kbackup.testkit.cluster.TestCluster;
import io.kbackup.testkit.engine.EngineRoundTripContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link EngineRoundTripContract} with the DirectEngine and a local-folder location, from one
 * real kube-apiserver into another.
 */
class LocalFolderEngineRoundTripRealIT extends EngineRoundTripContract {

    @TempDir
    static Path folder;

    @Override
    protected TestCluster startCluster() {
        return RealCluster.start();
    }

    @Override
    protected BackupClient engine(KubernetesClient cluster) {
        return KBackup.direct(cluster);
    }

    @Override
    protected BackupLocation location() {
        return BackupLocation.localFolder(folder).build();
    }
}
