package io.kbackup.storage.azure;

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
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code azure-key-vault} key provider through the Azure SDK's CryptographyClient against
 * {@link FakeKeyVault}, our own fake of Key Vault's {@code wrapkey}/{@code unwrapkey} endpoints: no
 * Key Vault emulator could be run here, so this is not tested against Key Vault itself, and the
 * SDK's authentication (a bearer token after Key Vault's challenge) is not exercised: the fake is
 * reached with {@code Credentials.none()}. The contract's round trips, rotation and refusals, plus
 * the key version recorded in the wrapped key, a denied key and a malformed key id.
 */
class AzureKeyVaultKeyProviderIT extends KeyProviderContract {
    private final FakeKeyVault vault;
    private final FakeKeyVault otherVault;

    AzureKeyVaultKeyProviderIT() throws IOException {
        vault = new FakeKeyVault();
        otherVault = new FakeKeyVault();
    }

    @AfterAll
    void stopFakes() {
        vault.close();
        otherVault.close();
    }

    @Override
    protected KeyProvider provider() {
        return AzureKeyVaultKeyProvider.builder().credentials(Credentials.none()).build();
    }

    @Override
    protected void deleteKey(String keyId) {
        vault.delete(name(keyId));
    }

    @Override
    protected String createKey(String name) {
        return vault.createKey(name);
    }

    @Override
    protected String missingKeyId() {
        return vault.baseUrl() + "/keys/no-such-key";
    }

    @Override
    protected void rotate(String keyId) {
        vault.rotate(name(keyId));
    }

    @Override
    protected void disableOldVersions(String keyId) {
        List<String> versions = vault.versions(name(keyId));
        versions.subList(0, versions.size() - 1).forEach(vault::disable);
    }

    private static String name(String keyId) {
        return keyId.substring(keyId.lastIndexOf('/') + 1);
    }

    @Override
    protected BackupClient engine(KubernetesClient cluster, KeyProviders keys) {
        return KBackup.direct(cluster, DirectOptions.builder().keyProviders(keys).build());
    }

    private List<String> calls(String name) {
        return vault.calls().stream().filter(c -> c.contains(" " + name + "/")).toList();
    }

    @Test
    void isFoundByServiceLoaderAndKeepsItsCredentialsOutOfMessages() {
        assertThat(KeyProviders.discover().provider(AzureKeyVaultKeyProvider.ID, "k")).isInstanceOf(AzureKeyVaultKeyProvider.class);
        assertThatThrownBy(() -> AzureKeyVaultKeyProvider.builder().credentials(Credentials.azureAccountKey("acct", "c2VjcmV0LWtleQ==")))
                .isInstanceOf(InvalidPlanException.class).hasMessageNotContaining("c2VjcmV0LWtleQ==");
        AzureKeyVaultKeyProvider principal = AzureKeyVaultKeyProvider.builder()
                .credentials(Credentials.azureServicePrincipal("tenant", "client", "principal-secret")).build();
        assertThat(principal.toString()).contains("azure-service-principal").doesNotContain("principal-secret");
    }

    @Test
    void unwrapsWithTheVersionThatWrappedAndRefusesOtherKeysDeniedKeysAndMalformedIds() {
        String key = vault.createKey("versions");
        byte[] dataKey = new byte[32];
        byte[] context = "kbackup/1/b1".getBytes(StandardCharsets.UTF_8);
        String v1 = vault.versions("versions").get(0);
        byte[] wrapped = provider().wrap(key, dataKey, context);
        assertThat(new String(wrapped, StandardCharsets.ISO_8859_1)).contains(key + "/" + v1);
        String v2 = vault.rotate("versions");
        provider().wrap(key, dataKey, context);
        assertThat(provider().unwrap(key, wrapped, context)).isEqualTo(dataKey);
        assertThat(provider().unwrap(key + "/" + v1, wrapped, context)).isEqualTo(dataKey);
        assertThat(calls("versions")).containsExactly("wrapkey versions/" + v1, "wrapkey versions/" + v2, "unwrapkey versions/" + v1,
                "unwrapkey versions/" + v1);

        // pinned to another version, another key of the same name in another vault: refused without a call
        assertThatThrownBy(() -> provider().unwrap(key + "/" + v2, wrapped, context)).isInstanceOf(KeyUnavailableException.class)
                .hasMessageContaining("not by '" + key + "/" + v2 + "'");
        otherVault.createKey("versions");
        assertThatThrownBy(() -> provider().unwrap(otherVault.baseUrl() + "/keys/versions", wrapped, context))
                .isInstanceOf(KeyUnavailableException.class).hasMessageContaining("restore it with the key id its manifest names");
        assertThatThrownBy(() -> provider().wrap("https://vault.example/secrets/not-a-key", dataKey, context))
                .isInstanceOf(KeyUnavailableException.class).hasMessageContaining("not an Azure Key Vault key identifier");
        assertThat(calls("versions")).hasSize(4);

        vault.deny("versions");
        assertThatThrownBy(() -> provider().unwrap(key, wrapped, context)).isInstanceOf(KeyUnavailableException.class)
                .hasMessageContaining("HTTP 403").hasMessageContaining("Key Vault Crypto User")
                .satisfies(e -> assertThat(((KeyUnavailableException) e).retryable()).isFalse());
    }
}
