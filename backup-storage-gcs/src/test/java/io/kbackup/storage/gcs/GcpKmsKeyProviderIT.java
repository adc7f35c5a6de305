package io.kbackup.storage.gcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.Credentials;
import io.kbackup.Encryption;
import io.kbackup.InvalidPlanException;
import io.kbackup.KeyUnavailableException;
import io.kbackup.RestorePhase;
import io.kbackup.RestorePlan;
import io.kbackup.VerifyReport;
import io.kbackup.core.KBackup;
import io.kbackup.core.direct.DirectEngine;
import io.kbackup.core.direct.DirectOptions;
import io.kbackup.spi.KeyProviders;
import io.kbackup.testkit.cluster.EmbeddedCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code gcp-kms} key provider through Google's Cloud KMS REST client against
 * {@link FakeCloudKms}, our own fake of Cloud KMS's {@code encrypt}/{@code decrypt} endpoints (no
 * Cloud KMS emulator exists, so this is not tested against Cloud KMS itself): data keys wrapped and
 * unwrapped bound to their backup and key, typed refusals for missing, denied and disabled keys,
 * and encrypted backups (local folder, embedded clusters) that still restore after the key is
 * rotated, while a restore without the key is refused before anything is applied.
 */
class GcpKmsKeyProviderIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path folder;

    private FakeCloudKms kms;

    @BeforeEach
    void start() throws IOException {
        kms = new FakeCloudKms();
    }

    @AfterEach
    void stop() {
        kms.close();
    }

    private GcpKmsKeyProvider provider() {
        return GcpKmsKeyProvider.builder().endpoint(kms.endpoint()).credentials(Credentials.none()).build();
    }

    private BackupLocation location(String key) {
        return BackupLocation.localFolder(folder).encryption(Encryption.with(GcpKmsKeyProvider.ID, key)).build();
    }

    @Test
    void isFoundByServiceLoaderAndRefusesOtherCredentials() {
        assertThat(KeyProviders.discover().installedIds()).contains(GcpKmsKeyProvider.ID);
        assertThat(KeyProviders.discover().provider(GcpKmsKeyProvider.ID, "k")).isInstanceOf(GcpKmsKeyProvider.class);
        assertThatThrownBy(() -> GcpKmsKeyProvider.builder().credentials(Credentials.awsStatic("AKIA", "secret-value")))
                .isInstanceOf(InvalidPlanException.class).hasMessageNotContaining("secret-value");
    }

    @Test
    void wrapsAndUnwrapsBoundToTheBackupAndTheKeyWithTypedRefusals() {
        String k1 = kms.createKey("backups", "k1");
        String k2 = kms.createKey("backups", "k2");
        byte[] dataKey = new byte[32];
        new SecureRandom().nextBytes(dataKey);
        byte[] context = "kbackup/1/b1".getBytes(StandardCharsets.UTF_8);
        try (GcpKmsKeyProvider provider = provider()) {
            byte[] wrapped = provider.wrap(k1, dataKey, context);
            assertThat(wrapped).isNotEqualTo(dataKey);
            assertThat(provider.unwrap(k1, wrapped, context)).isEqualTo(dataKey);
            assertThat(kms.calls()).containsExactly("encrypt " + k1 + " -> 1", "decrypt " + k1 + " -> 1");

            assertThatThrownBy(() -> provider.unwrap(k1, wrapped, "kbackup/1/b2".getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(KeyUnavailableException.class).hasMessageContaining(k1).hasMessageContaining("HTTP 400")
                    .satisfies(e -> assertThat(((KeyUnavailableException) e).retryable()).isFalse());
            assertThatThrownBy(() -> provider.unwrap(k2, wrapped, context)).isInstanceOf(KeyUnavailableException.class)
                    .hasMessageContaining("does not decrypt under this key");
            String missing = "projects/kbackup-test/locations/global/keyRings/backups/cryptoKeys/no-such-key";
            assertThatThrownBy(() -> provider.wrap(missing, dataKey, context)).isInstanceOf(KeyUnavailableException.class)
                    .hasMessageContaining("HTTP 404").hasMessageContaining("does not exist")
                    .satisfies(e -> assertThat(((KeyUnavailableException) e).keyId()).isEqualTo(missing));
            kms.deny(k2);
            assertThatThrownBy(() -> provider.wrap(k2, dataKey, context)).isInstanceOf(KeyUnavailableException.class)
                    .hasMessageContaining("HTTP 403").hasMessageContaining("roles/cloudkms.cryptoKeyEncrypterDecrypter");
            int callsBefore = kms.calls().size();
            assertThatThrownBy(() -> provider.wrap(k1 + "/cryptoKeyVersions/1", dataKey, context))
                    .isInstanceOf(KeyUnavailableException.class).hasMessageContaining("not a Cloud KMS CryptoKey resource name");
            assertThat(kms.calls()).hasSize(callsBefore);
            assertThat(provider.toString()).contains("none").contains(kms.endpoint());
        }
    }

    @Test
    void backupsMadeBeforeARotationStillRestoreAndWithoutTheKeyNothingIsApplied() throws IOException {
        String key = kms.createKey("backups", "rotating");
        DirectOptions options = DirectOptions.builder().keyProviders(KeyProviders.discover().with(provider())).build();
        try (EmbeddedCluster source = EmbeddedCluster.start(); EmbeddedCluster target = EmbeddedCluster.start()) {
            source.seed(Stream.of(new ConfigMapBuilder().withNewMetadata().withName("settings").withNamespace("shop").endMetadata()
                    .addToData("color", "green").build()));
            try (DirectEngine engine = KBackup.direct(source.client(), options)) {
                BackupInfo before = engine.backup(BackupPlan.builder().name("before-rotation").location(location(key))
                        .includedNamespaces("shop").build()).await(WAIT);
                assertThat(kms.rotate(key)).isEqualTo(2);
                BackupInfo after = engine.backup(BackupPlan.builder().name("after-rotation").location(location(key))
                        .includedNamespaces("shop").build()).await(WAIT);
                assertThat(before.phase()).as(before.toString()).isEqualTo(BackupPhase.COMPLETED);
                assertThat(after.phase()).as(after.toString()).isEqualTo(BackupPhase.COMPLETED);
                assertThat(kms.calls()).contains("encrypt " + key + " -> 1", "encrypt " + key + " -> 2");
                VerifyReport report = engine.verify(location(key), "before-rotation");
                assertThat(report.ok()).as(report.toString()).isTrue();
                assertThat(report.encryption()).contains(GcpKmsKeyProvider.ID).contains(key);
            }
            try (DirectEngine restorer = KBackup.direct(target.client(), options)) {
                for (String backup : new String[] {"before-rotation", "after-rotation"}) {
                    assertThat(restorer.restore(RestorePlan.builder().location(location(key)).backupName(backup)
                            .namespaceMapping(Map.of("shop", backup)).build()).await(WAIT).phase()).isEqualTo(RestorePhase.COMPLETED);
                    assertThat(target.client().configMaps().inNamespace(backup).withName("settings").get().getData())
                            .containsEntry("color", "green");
                }
                assertThat(kms.calls()).contains("decrypt " + key + " -> 1", "decrypt " + key + " -> 2");

                // the version that wrapped the old backup's data key disabled: refused, nothing applied
                kms.disable(key, 1);
                assertThatThrownBy(() -> restorer.restore(RestorePlan.builder().location(location(key)).backupName("before-rotation")
                        .namespaceMapping(Map.of("shop", "disabled")).build()).await(WAIT))
                        .isInstanceOf(KeyUnavailableException.class).hasMessageContaining("not enabled");
                assertThat(target.client().namespaces().withName("disabled").get()).isNull();
            }
            // a Cloud KMS without the key (another project's fake): refused, nothing applied
            try (FakeCloudKms empty = new FakeCloudKms(); DirectEngine restorer = KBackup.direct(target.client(),
                    DirectOptions.builder().keyProviders(KeyProviders.discover().with(GcpKmsKeyProvider.builder()
                            .endpoint(empty.endpoint()).credentials(Credentials.none()).build())).build())) {
                assertThatThrownBy(() -> restorer.restore(RestorePlan.builder().location(location(key)).backupName("after-rotation")
                        .namespaceMapping(Map.of("shop", "nokey")).build()).await(WAIT))
                        .isInstanceOf(KeyUnavailableException.class).hasMessageContaining(key).hasMessageContaining("does not exist");
                assertThat(target.client().namespaces().withName("nokey").get()).isNull();
                assertThat(target.client().configMaps().inNamespace("nokey").list().getItems()).isEmpty();
            }
        }
    }
}
