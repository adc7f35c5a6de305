package io.kbackup.core.internal.velero;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Secret;
import io.kbackup.BackupLocation;
import io.kbackup.Credentials;
import io.kbackup.InvalidPlanException;
import io.kbackup.testkit.velero.CrdSchemaValidator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class LocationMappingTest {
    private static final CrdSchemaValidator BSL = CrdSchemaValidator.velero("BackupStorageLocation");
    private static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final String PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

    private static String secretText(Secret secret) {
        return new String(Base64.getDecoder().decode(secret.getData().get("cloud")), StandardCharsets.UTF_8);
    }

    @Test
    void s3WithStaticKeysBecomesAnAwsLocationAndCredentialsFile() {
        BackupLocation location = BackupLocation.s3("team-backups").name("primary").region("eu-west-1").prefix("prod/c1")
                .config("serverSideEncryption", "aws:kms").config("caCert", PEM).config("partSizeBytes", "16777216")
                .credentials(Credentials.awsStatic("AKIAEXAMPLE", SECRET_KEY, "token-1")).build();

        LocationMapping.Mapped mapped = LocationMapping.map(location, "velero");

        BSL.assertValid(mapped.storageLocation());
        JsonNode bsl = VeleroStatus.tree(mapped.storageLocation());
        assertThat(bsl.path("metadata").path("name").asText()).isEqualTo("primary");
        assertThat(bsl.path("metadata").path("namespace").asText()).isEqualTo("velero");
        JsonNode spec = bsl.path("spec");
        assertThat(spec.path("provider").asText()).isEqualTo("aws");
        assertThat(spec.path("objectStorage").path("bucket").asText()).isEqualTo("team-backups");
        assertThat(spec.path("objectStorage").path("prefix").asText()).isEqualTo("prod/c1");
        assertThat(new String(Base64.getDecoder().decode(spec.path("objectStorage").path("caCert").asText()), StandardCharsets.UTF_8))
                .isEqualTo(PEM);
        assertThat(spec.path("config").path("region").asText()).isEqualTo("eu-west-1");
        assertThat(spec.path("config").path("serverSideEncryption").asText()).isEqualTo("aws:kms");
        assertThat(spec.path("config").has("partSizeBytes")).as("SDK-only keys are not passed to Velero's plugin").isFalse();
        assertThat(spec.path("config").has("caCert")).isFalse();
        assertThat(spec.path("credential").path("name").asText()).isEqualTo("kbackup-primary-credentials");
        assertThat(spec.path("credential").path("key").asText()).isEqualTo("cloud");
        assertThat(bsl.toString()).doesNotContain(SECRET_KEY);

        Secret secret = mapped.secret();
        assertThat(secret.getMetadata().getName()).isEqualTo("kbackup-primary-credentials");
        assertThat(secret.getMetadata().getNamespace()).isEqualTo("velero");
        assertThat(secretText(secret)).isEqualTo("[default]\naws_access_key_id=AKIAEXAMPLE\naws_secret_access_key=" + SECRET_KEY
                + "\naws_session_token=token-1\n");
    }

    @Test
    void minioIsAnAwsLocationWithPathStyleAndTheEndpoint() {
        BackupLocation location = BackupLocation.minio("https://minio.local:9000", "velero")
                .credentials(Credentials.awsStatic("minio", "minio123")).build();

        JsonNode spec = VeleroStatus.tree(LocationMapping.map(location, "velero").storageLocation()).path("spec");

        assertThat(spec.path("provider").asText()).isEqualTo("aws");
        assertThat(spec.path("config").path("s3Url").asText()).isEqualTo("https://minio.local:9000");
        assertThat(spec.path("config").path("s3ForcePathStyle").asText()).isEqualTo("true");
        assertThat(spec.path("config").path("region").asText()).isEqualTo("us-east-1");
        assertThat(spec.path("objectStorage").has("prefix")).isFalse();
    }

    @Test
    void assumeRoleWithStaticSourceBecomesASharedConfigProfile() {
        BackupLocation location = BackupLocation.s3("b").credentials(Credentials.awsAssumeRole(
                "arn:aws:iam::123456789012:role/backup", "ext-1", Duration.ofHours(2), Credentials.awsStatic("AKIA1", SECRET_KEY)))
                .build();

        LocationMapping.Mapped mapped = LocationMapping.map(location, "velero");

        assertThat(VeleroStatus.tree(mapped.storageLocation()).path("spec").path("config").path("enableSharedConfig").asText())
                .isEqualTo("true");
        assertThat(secretText(mapped.secret())).contains("[default]\nrole_arn=arn:aws:iam::123456789012:role/backup\n")
                .contains("source_profile=kbackup-source").contains("external_id=ext-1").contains("duration_seconds=7200")
                .contains("[kbackup-source]\naws_access_key_id=AKIA1\n");
    }

    @Test
    void defaultCredentialsLeaveVelerosOwnInCharge() {
        LocationMapping.Mapped aws = LocationMapping.map(BackupLocation.s3("b").build(), "velero");
        LocationMapping.Mapped gcs = LocationMapping.map(BackupLocation.gcs("b").build(), "velero");

        assertThat(aws.secret()).isNull();
        assertThat(VeleroStatus.tree(aws.storageLocation()).path("spec").has("credential")).isFalse();
        assertThat(gcs.secret()).isNull();
        assertThat(VeleroStatus.tree(gcs.storageLocation()).path("spec").path("provider").asText()).isEqualTo("gcp");
        BSL.assertValid(gcs.storageLocation());
    }

    @Test
    void webIdentityIsRefusedWithWhatToDoInstead() {
        BackupLocation location = BackupLocation.s3("b").credentials(Credentials.awsWebIdentity("arn:aws:iam::1:role/r",
                Path.of("/var/run/token"))).build();

        assertThatThrownBy(() -> LocationMapping.map(location, "velero")).isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("service account").hasMessageContaining("awsDefaultChain");
    }

    @Test
    void azureAccountKeyBecomesAnEnvFileAndTheKeyVariable() {
        BackupLocation location = BackupLocation.azure("backupacct", "velero").config("resourceGroup", "rg-1")
                .config("subscriptionId", "sub-1").credentials(Credentials.azureAccountKey("backupacct", SECRET_KEY)).build();

        LocationMapping.Mapped mapped = LocationMapping.map(location, "velero");

        BSL.assertValid(mapped.storageLocation());
        JsonNode config = VeleroStatus.tree(mapped.storageLocation()).path("spec").path("config");
        assertThat(config.path("storageAccount").asText()).isEqualTo("backupacct");
        assertThat(config.path("resourceGroup").asText()).isEqualTo("rg-1");
        assertThat(config.path("subscriptionId").asText()).isEqualTo("sub-1");
        assertThat(config.path("storageAccountKeyEnvVar").asText()).isEqualTo("AZURE_STORAGE_ACCOUNT_ACCESS_KEY");
        assertThat(secretText(mapped.secret())).isEqualTo("AZURE_STORAGE_ACCOUNT_ACCESS_KEY=" + SECRET_KEY
                + "\nAZURE_CLOUD_NAME=AzurePublicCloud\n");
    }

    @Test
    void azureServicePrincipalBecomesVelerosEnvFile() {
        BackupLocation location = BackupLocation.azure("backupacct", "velero").config("resourceGroup", "rg-1")
                .config("subscriptionId", "sub-1").credentials(Credentials.azureServicePrincipal("tenant-1", "client-1", SECRET_KEY))
                .build();

        LocationMapping.Mapped mapped = LocationMapping.map(location, "velero");

        assertThat(secretText(mapped.secret())).contains("AZURE_TENANT_ID=tenant-1\n", "AZURE_CLIENT_ID=client-1\n",
                "AZURE_CLIENT_SECRET=" + SECRET_KEY + "\n", "AZURE_SUBSCRIPTION_ID=sub-1\n", "AZURE_RESOURCE_GROUP=rg-1\n",
                "AZURE_CLOUD_NAME=AzurePublicCloud\n");
        assertThat(VeleroStatus.tree(mapped.storageLocation()).path("spec").path("config").path("useAAD").asText()).isEqualTo("true");
    }

    @Test
    void azureSasIsRefusedWithoutShowingTheToken() {
        BackupLocation location = BackupLocation.azure("acct", "c").credentials(Credentials.azureSas("sv=2024&sig=SECRETSIG")).build();

        assertThatThrownBy(() -> LocationMapping.map(location, "velero")).isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("SAS").hasMessageNotContaining("SECRETSIG");
    }

    @Test
    void gcsServiceAccountJsonIsTheCredentialsFile() {
        String json = "{\"type\":\"service_account\",\"private_key\":\"" + SECRET_KEY + "\"}";
        LocationMapping.Mapped mapped = LocationMapping.map(BackupLocation.gcs("b").config("kmsKeyName", "k1")
                .credentials(Credentials.gcsServiceAccountJson(json)).build(), "velero");

        assertThat(secretText(mapped.secret())).isEqualTo(json);
        assertThat(VeleroStatus.tree(mapped.storageLocation()).path("spec").path("config").path("kmsKeyName").asText())
                .isEqualTo("k1");
    }

    @Test
    void localFolderIsRefusedSayingWhy(@org.junit.jupiter.api.io.TempDir Path dir) {
        BackupLocation location = BackupLocation.localFolder(dir).name("disk").build();

        assertThatThrownBy(() -> LocationMapping.map(location, "velero")).isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("'disk'").hasMessageContaining("local folder").hasMessageContaining("KBackup.direct");
    }

    @Test
    void providersWithoutAVeleroPluginAreRefused() {
        BackupLocation location = BackupLocation.builder().provider("memory").bucket("b").build();

        assertThatThrownBy(() -> LocationMapping.map(location, "velero")).isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("'memory'").hasMessageContaining("no object-store plugin");
    }

    @Test
    void credentialsOfAnotherCloudAreRefused() {
        BackupLocation location = BackupLocation.gcs("b").credentials(Credentials.awsStatic("AKIA1", SECRET_KEY)).build();

        assertThatThrownBy(() -> LocationMapping.map(location, "velero")).isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("aws-static").hasMessageNotContaining(SECRET_KEY);
    }
}
