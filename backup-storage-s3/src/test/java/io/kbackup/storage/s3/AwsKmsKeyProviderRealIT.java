package io.kbackup.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.Credentials;
import io.kbackup.Encryption;
import io.kbackup.KeyUnavailableException;
import io.kbackup.RestorePhase;
import io.kbackup.RestorePlan;
import io.kbackup.VerifyReport;
import io.kbackup.core.KBackup;
import io.kbackup.core.direct.DirectEngine;
import io.kbackup.core.direct.DirectOptions;
import io.kbackup.spi.KeyProviders;
import io.kbackup.testkit.cluster.EmbeddedCluster;
import io.kbackup.testkit.servers.MotoServer;
import io.kbackup.testkit.servers.ServerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@code aws-kms} key provider against moto's KMS, and encrypted backups through the s3
 * provider on moto's S3: data keys wrapped and unwrapped by real KMS calls, bound to their backup,
 * refused under another key; a location moved to a new KMS key leaves old backups restorable.
 */
class AwsKmsKeyProviderRealIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String BUCKET = "kbackup-kms";

    @RegisterExtension
    static final ServerExtension<MotoServer> MOTO = ServerExtension.of(MotoServer::start, moto -> moto.createBucket(BUCKET));

    private static AwsKmsKeyProvider provider() {
        MotoServer moto = MOTO.get();
        return AwsKmsKeyProvider.builder().region(moto.region()).endpoint(moto.endpoint())
                .credentials(Credentials.awsStatic(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)).build();
    }

    private static BackupLocation location(String prefix, String keyArn) {
        MotoServer moto = MOTO.get();
        return BackupLocation.s3(BUCKET).region(moto.region()).endpoint(moto.endpoint()).prefix(prefix)
                .config(S3Config.S3_FORCE_PATH_STYLE, "true")
                .credentials(Credentials.awsStatic(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY))
                .encryption(Encryption.with(AwsKmsKeyProvider.ID, keyArn)).build();
    }

    @Test
    void wrapsAndUnwrapsThroughKmsBoundToTheBackupAndTheKey() {
        String k1 = MOTO.get().createKmsKey("kbackup k1");
        String k2 = MOTO.get().createKmsKey("kbackup k2");
        byte[] dataKey = new byte[32];
        new java.security.SecureRandom().nextBytes(dataKey);
        byte[] context = "kbackup/1/b1".getBytes(StandardCharsets.UTF_8);
        try (AwsKmsKeyProvider kms = provider()) {
            byte[] wrapped = kms.wrap(k1, dataKey, context);
            assertThat(wrapped).isNotEqualTo(dataKey);
            assertThat(kms.unwrap(k1, wrapped, context)).isEqualTo(dataKey);
            assertThatThrownBy(() -> kms.unwrap(k1, wrapped, "kbackup/1/b2".getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(KeyUnavailableException.class).hasMessageContaining(k1);
            assertThatThrownBy(() -> kms.unwrap(k2, wrapped, context)).isInstanceOf(KeyUnavailableException.class)
                    .satisfies(e -> assertThat(((KeyUnavailableException) e).retryable()).isFalse());
            assertThatThrownBy(() -> kms.wrap("arn:aws:kms:us-east-1:123456789012:key/no-such-key", dataKey, context))
                    .isInstanceOf(KeyUnavailableException.class).hasMessageContaining("no-such-key");
            assertThat(kms.toString()).contains("aws-static").doesNotContain(MotoServer.SECRET_KEY);
        }
    }

    @Test
    void encryptedBackupsThroughMotoS3RestoreAfterTheLocationMovesToANewKmsKey() {
        String k1 = MOTO.get().createKmsKey("kbackup rotation old");
        String k2 = MOTO.get().createKmsKey("kbackup rotation new");
        DirectOptions options = DirectOptions.builder().keyProviders(KeyProviders.discover().with(provider())).build();
        try (EmbeddedCluster source = EmbeddedCluster.start(); EmbeddedCluster target = EmbeddedCluster.start()) {
            source.seed(Stream.of(new ConfigMapBuilder().withNewMetadata().withName("settings").withNamespace("shop").endMetadata()
                    .addToData("color", "green").build()));
            try (DirectEngine engine = KBackup.direct(source.client(), options)) {
                BackupInfo old = engine.backup(BackupPlan.builder().name("under-k1").location(location("rot", k1))
                        .includedNamespaces("shop").build()).await(WAIT);
                BackupInfo fresh = engine.backup(BackupPlan.builder().name("under-k2").location(location("rot", k2))
                        .includedNamespaces("shop").build()).await(WAIT);
                assertThat(old.phase()).isEqualTo(BackupPhase.COMPLETED);
                assertThat(fresh.phase()).isEqualTo(BackupPhase.COMPLETED);
                assertThat(engine.listBackups(location("rot", k2))).allMatch(BackupInfo::encrypted).hasSize(2);
                VerifyReport report = engine.verify(location("rot", k2), "under-k1");
                assertThat(report.ok()).as(report.toString()).isTrue();
                assertThat(report.encryption()).contains(k1);
            }
            try (DirectEngine restorer = KBackup.direct(target.client(), options)) {
                for (String backup : new String[] {"under-k1", "under-k2"}) {
                    assertThat(restorer.restore(RestorePlan.builder().location(location("rot", k2)).backupName(backup)
                            .namespaceMapping(Map.of("shop", backup)).build()).await(WAIT).phase()).isEqualTo(RestorePhase.COMPLETED);
                    assertThat(target.client().configMaps().inNamespace(backup).withName("settings").get().getData())
                            .containsEntry("color", "green");
                }
            }
        }
    }
}
