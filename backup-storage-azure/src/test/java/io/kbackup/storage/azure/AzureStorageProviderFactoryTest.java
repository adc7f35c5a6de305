package io.kbackup.storage.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kbackup.BackupLocation;
import io.kbackup.Credentials;
import io.kbackup.InvalidPlanException;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviderFactory;
import io.kbackup.spi.StorageProviders;
import io.kbackup.storage.azure.internal.AzureSettings;
import org.junit.jupiter.api.Test;

class AzureStorageProviderFactoryTest {

    private static final String SECRET = "c2VjcmV0LWtleS10aGF0LW11c3Qtbm90LWxlYWs=";

    @Test
    void isFoundByServiceLoaderUnderIdAzure() {
        StorageProviderFactory factory = StorageProviders.discover().factory("azure");
        assertThat(factory).isInstanceOf(AzureStorageProviderFactory.class);
        assertThat(factory.configKeys()).contains("storageAccount", "resourceGroup", "subscriptionId",
                "blockSizeInBytes", "storageAccountURI", "serviceVersion");
    }

    @Test
    void defaultsToTheAccountsPublicEndpointAndPinnedServiceVersion() {
        AzureSettings s = AzureSettings.from(BackupLocation.azure("mybackups", "velero")
                .credentials(Credentials.azureSas("sv=2024&sig=" + SECRET)).build());
        assertThat(s.endpoint()).isEqualTo("https://mybackups.blob.core.windows.net");
        assertThat(s.serviceVersion().getVersion()).isEqualTo(AzureConfig.DEFAULT_SERVICE_VERSION);
        assertThat(s.blockSize()).isEqualTo(AzureConfig.DEFAULT_BLOCK_SIZE);
    }

    @Test
    void takesTheAccountFromTheAccountKeyAndRefusesAMismatch() {
        AzureSettings s = AzureSettings.from(BackupLocation.builder().provider("azure").bucket("velero")
                .credentials(Credentials.azureAccountKey("keyaccount", SECRET)).build());
        assertThat(s.account()).isEqualTo("keyaccount");

        assertThatThrownBy(() -> AzureSettings.from(BackupLocation.azure("other", "velero")
                .credentials(Credentials.azureAccountKey("keyaccount", SECRET)).build()))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("storageAccount 'other'").hasMessageContaining("'keyaccount'")
                .hasMessageNotContaining(SECRET);
    }

    @Test
    void refusesBadSettingsNamingTheField() {
        assertThatThrownBy(() -> AzureSettings.from(BackupLocation.azure("acct", "Bad_Container").build()))
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("container 'Bad_Container'");
        assertThatThrownBy(() -> AzureSettings.from(BackupLocation.azure("acct", "velero")
                .config(AzureConfig.BLOCK_SIZE_IN_BYTES, "12").build()))
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("blockSizeInBytes '12'");
        assertThatThrownBy(() -> AzureSettings.from(BackupLocation.azure("acct", "velero")
                .config(AzureConfig.SERVICE_VERSION, "1999-01-01").build()))
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("serviceVersion '1999-01-01'");
        assertThatThrownBy(() -> AzureSettings.from(BackupLocation.builder().provider("azure").bucket("velero").build()))
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("storageAccount");
        assertThatThrownBy(() -> AzureSettings.from(BackupLocation.azure("acct", "velero")
                .credentials(Credentials.awsStatic("AKIAEXAMPLE", SECRET)).build()))
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("aws-static")
                .hasMessageNotContaining(SECRET);
    }

    @Test
    void refusesBearerTokensOverPlainHttp() {
        assertThatThrownBy(() -> AzureSettings.from(BackupLocation.azure("acct", "velero")
                .endpoint("http://127.0.0.1:10000/acct")
                .credentials(Credentials.azureServicePrincipal("tenant", "client", SECRET)).build()))
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("https")
                .hasMessageNotContaining(SECRET);
    }

    @Test
    void unknownConfigKeyIsRefusedWithTheValidKeys() {
        assertThatThrownBy(() -> StorageProviders.discover().open(BackupLocation.azure("acct", "velero")
                .config("storageAccountKey", SECRET).build()))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("storageAccountKey").hasMessageContaining("blockSizeInBytes");
    }

    @Test
    void buildsEveryCredentialKindWithoutContactingAzureAndNeverPrintsSecrets() {
        for (Credentials c : new Credentials[] {Credentials.azureAccountKey("acct", SECRET),
                Credentials.azureSas("?sv=2024&sig=" + SECRET),
                Credentials.azureServicePrincipal("tenant", "client", SECRET),
                Credentials.azureManagedIdentity(null), Credentials.azureManagedIdentity("client-id")}) {
            try (StorageProvider p = StorageProviders.discover().open(BackupLocation.azure("acct", "velero")
                    .credentials(c).build())) {
                assertThat(p.id()).isEqualTo("azure");
                assertThat(p.toString()).doesNotContain(SECRET).contains(c.kind());
            }
        }
    }

    @Test
    void workloadIdentityOutsideAPodSaysWhichVariablesAreMissing() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("AZURE_FEDERATED_TOKEN_FILE") == null,
                "runs where no workload identity is injected");
        assertThatThrownBy(() -> StorageProviders.discover().open(BackupLocation.azure("acct", "velero")
                .credentials(Credentials.azureWorkloadIdentity()).build()))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("AZURE_FEDERATED_TOKEN_FILE");
    }
}
