package io.kbackup.storage.s3;

import io.kbackup.BackupLocation;
import io.kbackup.Credentials;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviders;
import io.kbackup.testkit.servers.MotoServer;
import io.kbackup.testkit.storage.StorageProviderContract;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The storage contract for the s3 provider against a real moto server with IAM checks on: every
 * request is signed with temporary credentials from STS {@code AssumeRole} (external id, 15-minute
 * sessions), which moto grants only to the source user its trust policy names with that external
 * id, and S3 accepts only because the role's policy allows the bucket. Nothing is skipped.
 */
class S3AssumeRoleContractRealIT extends StorageProviderContract {

    private static MotoServer moto;
    private static MotoIam iam;

    @BeforeAll
    static void startServer() {
        moto = MotoServer.start();
        iam = MotoIam.setUp(moto, "kbackup-role-contract");
        moto.enforceIam();
    }

    @AfterAll
    static void stopServer() {
        if (moto != null) {
            moto.close();
        }
    }

    private static StorageProvider open(String bucket) {
        return StorageProviders.discover().open(BackupLocation.s3(bucket)
                .region(moto.region())
                .endpoint(moto.endpoint())
                .config(S3Config.S3_FORCE_PATH_STYLE, "true")
                .config(S3Config.STS_ENDPOINT, moto.endpoint())
                .config(S3Config.PART_SIZE_BYTES, String.valueOf(S3Config.MIN_PART_SIZE_BYTES))
                .credentials(Credentials.awsAssumeRole(iam.roleArn, MotoIam.EXTERNAL_ID, Duration.ofMinutes(15),
                        Credentials.awsStatic(iam.source.accessKeyId(), iam.source.secretAccessKey())))
                .build());
    }

    @Override
    protected StorageProvider createProvider() {
        return open(iam.bucket);
    }

    @Override
    protected StorageProvider createProviderForMissingBucket() {
        return open("kbackup-role-contract-missing");
    }
}
