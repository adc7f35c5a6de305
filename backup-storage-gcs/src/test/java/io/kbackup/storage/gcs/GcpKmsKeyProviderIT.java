package io.kbackup.storage.gcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupClient;
import io.kbackup.Credentials;
import io.kbackup.InvalidPlanException;
import io.kbackup.KeyUnavailableException;
import io.kbackup.core.KBackup;
import io.kbackup.core.direct.DirectOptions;
import io.kbackup.spi.KeyProvider;
import io.kbackup.spi.KeyProviders;
import io.kbackup.testkit.engine.KeyProviderContract;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code gcp-kms} key provider through Google's Cloud KMS REST client against
 * {@link FakeCloudKms}, our own fake of Cloud KMS's {@code encrypt}/{@code decrypt} endpoints: no
 * Cloud KMS emulator exists, so this is not tested against Cloud KMS itself. The contract's round
 * trips, rotation and refusals, plus typed refusals for a denied key and a version name.
 */
class GcpKmsKeyProviderIT extends KeyProviderContract {
    private final FakeCloudKms kms;

    GcpKmsKeyProviderIT() throws IOException {
        kms = new FakeCloudKms();
    }

    @AfterAll
    void stopFake() {
        kms.close();
    }

    @Override
    protected KeyProvider provider() {
        return GcpKmsKeyProvider.builder().endpoint(kms.baseUrl()).credentials(Credentials.none()).build();
    }

    @Override
    protected void deleteKey(String keyId) {
        kms.delete(keyId);
    }

    @Override
    protected String createKey(String name) {
        return kms.createKey("backups", name);
    }

    @Override
    protected String missingKeyId() {
        return "projects/kbackup-test/locations/global/keyRings/backups/cryptoKeys/no-such-key";
    }

    @Override
    protected void rotate(String keyId) {
        kms.rotate(keyId);
    }

    @Override
    protected void disableOldVersions(String keyId) {
        for (int v = 1; v < kms.primary(keyId); v++) {
            kms.disable(keyId, v);
        }
    }

    @Override
    protected BackupClient engine(KubernetesClient cluster, KeyProviders keys) {
        return KBackup.direct(cluster, DirectOptions.builder().keyProviders(keys).build());
    }

    @Test
    void isFoundByServiceLoaderAndRefusesOtherCredentials() {
        assertThat(KeyProviders.discover().provider(GcpKmsKeyProvider.ID, "k")).isInstanceOf(GcpKmsKeyProvider.class);
        assertThatThrownBy(() -> GcpKmsKeyProvider.builder().credentials(Credentials.awsStatic("AKIA", "secret-value")))
                .isInstanceOf(InvalidPlanException.class).hasMessageNotContaining("secret-value");
        assertThat(provider().toString()).contains("none").contains(kms.baseUrl());
    }

    @Test
    void wrapsWithThePrimaryVersionAndRefusesDeniedKeysAndVersionNames() {
        String key = kms.createKey("backups", "typed");
        byte[] dataKey = new byte[32];
        byte[] context = "kbackup/1/b1".getBytes(StandardCharsets.UTF_8);
        byte[] wrapped = provider().wrap(key, dataKey, context);
        kms.rotate(key);
        assertThat(provider().unwrap(key, wrapped, context)).isEqualTo(dataKey);
        provider().wrap(key, dataKey, context);
        assertThat(kms.calls()).containsSubsequence("encrypt " + key + " -> 1", "decrypt " + key + " -> 1", "encrypt " + key + " -> 2");

        int calls = kms.calls().size();
        assertThatThrownBy(() -> provider().wrap(key + "/cryptoKeyVersions/1", dataKey, context))
                .isInstanceOf(KeyUnavailableException.class).hasMessageContaining("not a Cloud KMS CryptoKey resource name");
        assertThat(kms.calls()).hasSize(calls);
        kms.deny(key);
        assertThatThrownBy(() -> provider().unwrap(key, wrapped, context)).isInstanceOf(KeyUnavailableException.class)
                .hasMessageContaining("HTTP 403").hasMessageContaining("roles/cloudkms.cryptoKeyEncrypterDecrypter");
    }
}
