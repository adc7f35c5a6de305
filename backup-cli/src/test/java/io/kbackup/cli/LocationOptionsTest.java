package io.kbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kbackup.BackupLocation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Locations and credentials from options, files and the environment; their secrets registered for masking. */
class LocationOptionsTest {
    @TempDir
    Path tmp;

    private final Secrets secrets = new Secrets();

    private BackupLocation build(Map<String, String> env, String... args) {
        LocationOptions options = new LocationOptions();
        new CommandLine(options).parseArgs(args);
        return options.build(secrets, env);
    }

    @Test
    void optionsWinOverTheFileAndTheFileOverTheEnvironment() throws IOException {
        Path file = Files.writeString(tmp.resolve("loc.properties"),
                "provider=s3\nbucket=from-file\nprefix=file/prefix\nregion=eu-west-1\nconfig.s3ForcePathStyle=true\n");
        BackupLocation l = build(Map.of("KBACKUP_BUCKET", "from-env", "KBACKUP_REGION", "us-west-2", "KBACKUP_PREFIX", "env"),
                "--location-file", file.toString(), "--prefix", "flag/prefix");
        assertThat(l.provider()).isEqualTo("s3");
        assertThat(l.bucket()).isEqualTo("from-file");
        assertThat(l.prefix()).isEqualTo("flag/prefix");
        assertThat(l.region()).contains("eu-west-1");
        assertThat(l.config()).containsEntry("s3ForcePathStyle", "true");
    }

    @Test
    void awsKeysFromTheEnvironmentAreStaticCredentialsAndMasked() {
        BackupLocation l = build(Map.of("AWS_ACCESS_KEY_ID", "AKIAID", "AWS_SECRET_ACCESS_KEY", "secret-from-env-123"),
                "--provider", "minio", "--bucket", "b", "--endpoint", "http://127.0.0.1:9000");
        assertThat(l.credentials().kind()).isEqualTo("aws-static");
        assertThat(secrets.redact("denied for secret-from-env-123")).isEqualTo("denied for ****");
    }

    @Test
    void azureFilesGiveAccountKeyOrServicePrincipal() throws IOException {
        Path key = Files.writeString(tmp.resolve("azure-key"), "AZURE_STORAGE_ACCOUNT_ACCESS_KEY=a2V5LWtleS1rZXk=\n");
        BackupLocation byKey = build(Map.of(), "--provider", "azure", "--bucket", "c", "--config", "storageAccount=acct",
                "--credentials-file", key.toString());
        assertThat(byKey.credentials().kind()).isEqualTo("azure-account-key");
        assertThat(secrets.redact("key a2V5LWtleS1rZXk=")).isEqualTo("key ****");

        Path sp = Files.writeString(tmp.resolve("azure-sp"),
                "AZURE_TENANT_ID=t\nAZURE_CLIENT_ID=c\nAZURE_CLIENT_SECRET=sp-secret-value\n");
        BackupLocation bySp = build(Map.of(), "--provider", "azure", "--bucket", "c", "--config", "storageAccount=acct",
                "--credentials-file", sp.toString());
        assertThat(bySp.credentials().kind()).isEqualTo("azure-service-principal");
        assertThat(secrets.redact("sp-secret-value")).isEqualTo("****");
    }

    @Test
    void aJsonFileIsAGcsServiceAccountWhosePrivateKeyIsMasked() throws IOException {
        Path json = Files.writeString(tmp.resolve("sa.json"), "{\"type\":\"service_account\",\"client_email\":\"a@b.iam\","
                + "\"private_key\":\"-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\n-----END PRIVATE KEY-----\\n\"}");
        BackupLocation l = build(Map.of(), "--provider", "gcs", "--bucket", "b", "--credentials-file", json.toString());
        assertThat(l.credentials().kind()).isEqualTo("gcs-service-account");
        assertThat(secrets.redact("line MIIEvQIBADANBgkqhkiG9w0BAQEFAASC")).isEqualTo("line ****");
    }

    @Test
    void missingOrUnknownSettingsAreUsageErrors() throws IOException {
        assertThatThrownBy(() -> build(Map.of())).isInstanceOf(CliException.class).hasMessageContaining("--folder")
                .extracting(e -> ((CliException) e).exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThatThrownBy(() -> build(Map.of(), "--provider", "s3", "--bucket", "b", "--credentials", "aws-static"))
                .isInstanceOf(CliException.class).hasMessageContaining("aws_access_key_id");
        Path junk = Files.writeString(tmp.resolve("junk"), "something=else\n");
        assertThatThrownBy(() -> build(Map.of(), "--provider", "s3", "--bucket", "b", "--credentials-file", junk.toString()))
                .isInstanceOf(CliException.class).hasMessageContaining("--credentials TYPE");
    }

    @Test
    void durationsInVeleroAndIsoSpelling() {
        Leaf.DurationConverter c = new Leaf.DurationConverter();
        assertThat(c.convert("720h")).isEqualTo(Duration.ofHours(720));
        assertThat(c.convert("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(c.convert("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(c.convert("PT2H")).isEqualTo(Duration.ofHours(2));
        assertThatThrownBy(() -> c.convert("soon")).isInstanceOf(CommandLine.TypeConversionException.class);
        assertThatThrownBy(() -> c.convert("5h junk")).isInstanceOf(CommandLine.TypeConversionException.class);
    }
}
