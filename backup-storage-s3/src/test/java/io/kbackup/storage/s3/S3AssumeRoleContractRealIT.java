package io.kbackup.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.kbackup.BackupLocation;
import io.kbackup.Credentials;
import io.kbackup.spi.BlobWriter;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviders;
import io.kbackup.testkit.servers.MotoServer;
import io.kbackup.testkit.servers.ServerExtension;
import io.kbackup.testkit.storage.StorageProviderContract;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The storage contract for the s3 provider against a real moto server with IAM checks on: every
 * request is signed with temporary credentials from STS {@code AssumeRole} (external id, 15-minute
 * sessions), which moto grants only to the source user its trust policy names with that external
 * id, and S3 accepts only because the role's policy allows the bucket. Nothing is skipped.
 */
class S3AssumeRoleContractRealIT extends StorageProviderContract {

    @RegisterExtension
    static final ServerExtension<MotoServer> MOTO = ServerExtension.of(MotoServer::start, moto -> {
        iam = MotoIam.setUp(moto, "kbackup-role-contract");
        moto.enforceIam();
    });
    private static MotoIam iam;

    private static StorageProvider open(String bucket) {
        return StorageProviders.discover().open(BackupLocation.s3(bucket)
                .region(MOTO.get().region())
                .endpoint(MOTO.get().endpoint())
                .config(S3Config.S3_FORCE_PATH_STYLE, "true")
                .config(S3Config.STS_ENDPOINT, MOTO.get().endpoint())
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

    /**
     * moto 5 reports every upload as initiated at the fixed time {@link #MOTO_INITIATED} (its
     * ListMultipartUploads template), so the age cut-off is shown around that instant; the first
     * assertion fails once moto reports real times, and the test then uses the current time.
     */
    @Test
    void sweepAbortsTheMultipartUploadOfAWriterThatNeverFinished() throws Exception {
        String key = key("crashed/crashed.tar.gz");
        BlobWriter crashed = storage().openWriter(key);
        crashed.write(new byte[6 * 1024 * 1024]); // one 5 MiB part sent; no commit, no abort, as after kill -9

        assertThat(storage().sweepIncompleteUploads(key("crashed/"), MOTO_INITIATED))
                .as("an upload not started before the time given is left alone").isZero();
        assertThat(storage().sweepIncompleteUploads(key("other/"), MOTO_INITIATED.plusSeconds(1))).isZero();
        assertThat(storage().sweepIncompleteUploads(key("crashed/"), MOTO_INITIATED.plusSeconds(1))).isOne();
        assertThat(storage().sweepIncompleteUploads(key("crashed/"), Instant.now().plusSeconds(60))).isZero();
        assertThat(storage().exists(key)).isFalse();
    }

    private static final Instant MOTO_INITIATED = Instant.parse("2010-11-10T20:48:33Z");
}
