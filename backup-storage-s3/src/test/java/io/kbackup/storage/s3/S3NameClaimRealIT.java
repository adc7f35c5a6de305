package io.kbackup.storage.s3;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupClient;
import io.kbackup.BackupLocation;
import io.kbackup.Credentials;
import io.kbackup.core.KBackup;
import io.kbackup.testkit.engine.NameClaimContract;
import io.kbackup.testkit.servers.MotoServer;
import io.kbackup.testkit.servers.ServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two DirectEngines racing on one backup name through the s3 provider, against moto's S3 server. */
class S3NameClaimRealIT extends NameClaimContract {

    @RegisterExtension
    static final ServerExtension<MotoServer> MOTO = ServerExtension.of(MotoServer::start, moto -> moto.createBucket("kbackup-claim"));

    @Override
    protected BackupClient engine(KubernetesClient cluster) {
        return KBackup.direct(cluster);
    }

    @Override
    protected BackupLocation location() {
        return BackupLocation.s3("kbackup-claim")
                .region(MOTO.get().region())
                .endpoint(MOTO.get().endpoint())
                .config(S3Config.S3_FORCE_PATH_STYLE, "true")
                .credentials(Credentials.awsStatic(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY))
                .build();
    }
}
