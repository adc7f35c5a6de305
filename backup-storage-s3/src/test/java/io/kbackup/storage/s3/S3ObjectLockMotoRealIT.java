package io.kbackup.storage.s3;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupClient;
import io.kbackup.BackupLocation;
import io.kbackup.Credentials;
import io.kbackup.core.KBackup;
import io.kbackup.testkit.engine.ObjectLockContract;
import io.kbackup.testkit.servers.MotoServer;
import io.kbackup.testkit.servers.ServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Immutable backups through the s3 provider (AWS SDK v2, S3 Object Lock) on a real moto server. */
class S3ObjectLockMotoRealIT extends ObjectLockContract {

    @RegisterExtension
    static final ServerExtension<MotoServer> MOTO = ServerExtension.of(MotoServer::start,
            moto -> moto.createBucketWithObjectLock("kbackup-worm").createBucket("kbackup-plain"));

    @Override
    protected BackupClient engine(KubernetesClient cluster) {
        return KBackup.direct(cluster);
    }

    @Override
    protected BackupLocation lockBucketLocation() {
        return location("kbackup-worm");
    }

    @Override
    protected BackupLocation plainBucketLocation() {
        return location("kbackup-plain");
    }

    /** moto 5.2.5 stores no lock asked for on CreateMultipartUpload (MinIO does: S3ProviderMinioServerContractRealIT). */
    @Override
    protected boolean locksMultipartUploads() {
        return false;
    }

    private static BackupLocation location(String bucket) {
        return BackupLocation.s3(bucket).region(MOTO.get().region()).endpoint(MOTO.get().endpoint())
                .config(S3Config.S3_FORCE_PATH_STYLE, "true")
                .config(S3Config.PART_SIZE_BYTES, String.valueOf(S3Config.MIN_PART_SIZE_BYTES))
                .credentials(Credentials.awsStatic(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)).build();
    }
}
